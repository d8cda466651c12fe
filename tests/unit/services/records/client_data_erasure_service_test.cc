// ClientDataErasureService over the in-memory database with the real envelope cipher: only an
// archived client's key is erased, a second erasure answers the first one's time, after it
// nothing can be read or sealed for her, and her plain practice numbers are deleted. Access (admins
// only) is the pipeline's, tested by the authorization matrix.

#include "services/records/client_data_erasure_service.h"

#include <string>

#include "absl/time/time.h"
#include "confide/v1/programmes.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/timestamps.h"
#include "services/programmes/ports/practice_log_repository.h"
#include "services/programmes/ports/progression_suggestion_repository.h"
#include "services/records/client_data_erasure_validation.h"
#include "tests/fakes/clinical_test_support.h"

namespace confide {
namespace {

using ::testing::HasSubstr;

constexpr char kClinic[] = "00000000-0000-7000-8000-0000000000a1";
constexpr char kClient[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kFreshClient[] = "00000000-0000-7000-8000-00000000c002";
constexpr char kNote[] = "marker-session-content-93b2";
const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);
const FieldLocation kWhere{"intakes", "answers_sealed", kClient};

InMemoryDatabase Clients() {
  InMemoryDatabase db;
  for (const char* id : {kClient, kFreshClient}) {
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(id);
    client.client.set_status(v1::CLIENT_STATUS_ARCHIVED);
    db.clients.emplace(id, client);
  }
  return db;
}

v1::EraseClientDataRequest Request(const std::string& client_id) {
  v1::EraseClientDataRequest request;
  request.set_client_id(client_id);
  request.set_confirm_client_id(client_id);
  return request;
}

class ClientDataErasureServiceTest : public ClinicalServiceTest {
 protected:
  ClientDataErasureServiceTest() : ClinicalServiceTest(kStart, Clients(), kClinic, kClient) {}

  absl::StatusOr<v1::ClientDataErasure> Erase(const std::string& client_id) {
    return As(admin_, client_id,
              [&](RequestScope& scope) { return service_.Erase(Request(client_id), scope); });
  }

  void SetStatus(const std::string& client_id, v1::ClientStatus status) {
    uow_.state().clients.at(client_id).client.set_status(status);
  }

  ClientDataErasureService service_;
};

TEST_F(ClientDataErasureServiceTest, ErasingMakesEverySealedReadAndWriteFailedPrecondition) {
  absl::StatusOr<std::string> sealed = cipher_.Seal(uow_, kClinic, kClient, kWhere, kNote);
  ASSERT_TRUE(sealed.ok()) << sealed.status();

  const absl::Time erase_time = StoredTime(clock_.Now());
  absl::StatusOr<v1::ClientDataErasure> erased = Erase(kClient);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->client_id(), kClient);
  EXPECT_EQ(FromTimestamp(erased->erase_time()), erase_time);
  EXPECT_EQ(erased->erased_by_user_id(), admin_.user_id);
  EXPECT_EQ(last_resource_, std::string("clients/") + kClient + "/dataKey");

  const ClientDataKeyRecord& key = uow_.state().client_data_keys.at({kClinic, kClient});
  EXPECT_TRUE(key.wrapped_key.empty());
  EXPECT_EQ(key.erase_time, erase_time);

  absl::StatusOr<std::string> opened = cipher_.Open(uow_, kClinic, kClient, kWhere, *sealed);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition) << opened.status();
  EXPECT_EQ(cipher_.Seal(uow_, kClinic, kClient, kWhere, "more").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

// Nothing was ever sealed for her: the erased row keeps anything from being sealed later.
TEST_F(ClientDataErasureServiceTest, AClientWithoutAKeyGetsAnErasedOneSoNothingIsSealedLater) {
  ASSERT_FALSE(uow_.state().client_data_keys.count({kClinic, kFreshClient}));
  absl::StatusOr<v1::ClientDataErasure> erased = Erase(kFreshClient);
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_TRUE(uow_.state().client_data_keys.at({kClinic, kFreshClient}).erase_time.has_value());
  const FieldLocation where{"intakes", "answers_sealed", kFreshClient};
  EXPECT_EQ(cipher_.Seal(uow_, kClinic, kFreshClient, where, kNote).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ClientDataErasureServiceTest, ASecondErasureAnswersTheFirstOnesTime) {
  ASSERT_TRUE(cipher_.Seal(uow_, kClinic, kClient, kWhere, kNote).ok());
  absl::StatusOr<v1::ClientDataErasure> first = Erase(kClient);
  ASSERT_TRUE(first.ok()) << first.status();
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<v1::ClientDataErasure> second = Erase(kClient);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(FromTimestamp(second->erase_time()), FromTimestamp(first->erase_time()));
  EXPECT_EQ(second->client_id(), kClient);
  // Who erased first is in the audit trail, not in the key row.
  EXPECT_EQ(second->erased_by_user_id(), "");
}

// Why she came is clinical but stored in plain columns of her client row: it must not outlive
// the erasure there. Her names stay.
TEST_F(ClientDataErasureServiceTest, ErasingClearsTheClinicalFieldsOfHerClientRow) {
  v1::Client& stored = uow_.state().clients.at(kClient).client;
  stored.set_legal_given_name("Jo");
  stored.set_presenting_concern(v1::PRESENTING_CONCERN_PRIMARY_VAGINISMUS);
  stored.set_presenting_concern_other("marker-concern-text-77c1");
  stored.set_referral_source("marker-referral-5b20");
  const int64_t version = uow_.state().clients.at(kClient).version;
  ASSERT_TRUE(Erase(kClient).ok());
  const ClientRecord& after = uow_.state().clients.at(kClient);
  EXPECT_EQ(after.client.presenting_concern(), v1::PRESENTING_CONCERN_UNSPECIFIED);
  EXPECT_EQ(after.client.presenting_concern_other(), "");
  EXPECT_EQ(after.client.referral_source(), "");
  EXPECT_EQ(after.client.legal_given_name(), "Jo");
  EXPECT_EQ(after.client.status(), v1::CLIENT_STATUS_ARCHIVED);
  EXPECT_EQ(after.version, version + 1);
  // A second erasure changes nothing.
  ASSERT_TRUE(Erase(kClient).ok());
  EXPECT_EQ(uow_.state().clients.at(kClient).version, version + 1);
}

// Her practice logs and the ladder's suggestions keep pain, anxiety and sizes in plain columns:
// the erasure deletes them (hers only), so no score of hers outlives her key.
TEST_F(ClientDataErasureServiceTest, ErasingDeletesHerPracticeLogsAndProgressionSuggestions) {
  for (const char* client : {kClient, kFreshClient}) {
    const std::string id = std::string("log-") + client;
    ASSERT_TRUE(uow_.practice_logs()
                    .Insert(PracticeLogRecord{.id = id,
                                              .clinic_id = kClinic,
                                              .client_id = client,
                                              .programme_id = "programme",
                                              .item_id = "dilator",
                                              .practiced_at = kStart,
                                              .duration_minutes = 10,
                                              .completion = v1::PRACTICE_COMPLETION_FULLY,
                                              .dilator_size = 2,
                                              .pain = 7,
                                              .anxiety = 6,
                                              .request_id = id})
                    .ok());
    ASSERT_TRUE(
        uow_.progression_suggestions()
            .Insert(ProgressionSuggestionRecord{.id = std::string("suggestion-") + client,
                                                .clinic_id = kClinic,
                                                .client_id = client,
                                                .programme_id = std::string("programme-") + client,
                                                .item_id = "dilator",
                                                .direction = v1::PROGRESSION_DIRECTION_STEP_DOWN,
                                                .from_size = 2,
                                                .to_size = 1,
                                                .window_max_pain = 7,
                                                .practice_log_id = id,
                                                .status = v1::SUGGESTION_STATUS_PENDING})
            .ok());
  }

  ASSERT_TRUE(Erase(kClient).ok());

  EXPECT_EQ(uow_.state().practice_logs.size(), 1u);
  EXPECT_EQ(uow_.state().practice_logs.count(std::string("log-") + kFreshClient), 1u);
  EXPECT_EQ(uow_.state().progression_suggestions.size(), 1u);
  EXPECT_EQ(uow_.state().progression_suggestions.count(std::string("suggestion-") + kFreshClient),
            1u);
  // A second erasure finds nothing more to delete.
  EXPECT_TRUE(Erase(kClient).ok());
  EXPECT_EQ(uow_.state().practice_logs.size(), 1u);
}

TEST_F(ClientDataErasureServiceTest, AClientNotArchivedIsFailedPreconditionAndKeepsHerKey) {
  ASSERT_TRUE(cipher_.Seal(uow_, kClinic, kClient, kWhere, kNote).ok());
  for (v1::ClientStatus status : {v1::CLIENT_STATUS_ACTIVE, v1::CLIENT_STATUS_DISCHARGED}) {
    SetStatus(kClient, status);
    absl::StatusOr<v1::ClientDataErasure> erased = Erase(kClient);
    EXPECT_EQ(erased.status().code(), absl::StatusCode::kFailedPrecondition) << erased.status();
    EXPECT_THAT(erased.status().message(), HasSubstr("archived"));
  }
  EXPECT_FALSE(uow_.state().client_data_keys.at({kClinic, kClient}).erase_time.has_value());
  EXPECT_FALSE(uow_.state().client_data_keys.at({kClinic, kClient}).wrapped_key.empty());
}

TEST_F(ClientDataErasureServiceTest, AClientOfAnotherClinicIsNotFound) {
  Principal other_admin = AdminPrincipal("another-clinic");
  absl::StatusOr<v1::ClientDataErasure> erased = As(
      other_admin, kClient, [&](RequestScope& s) { return service_.Erase(Request(kClient), s); });
  EXPECT_EQ(erased.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(uow_.state().client_data_keys.count({kClinic, kClient}));
}

TEST(ValidateEraseClientDataTest, ConfirmClientIdMustRepeatClientId) {
  EXPECT_TRUE(ValidateEraseClientData(Request(kClient)).ok());
  v1::EraseClientDataRequest wrong = Request(kClient);
  wrong.set_confirm_client_id(kFreshClient);
  absl::Status status = ValidateEraseClientData(wrong);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("confirm_client_id"));
  wrong.clear_confirm_client_id();
  EXPECT_THAT(ValidateEraseClientData(wrong).message(), HasSubstr("confirm_client_id"));
  v1::EraseClientDataRequest no_client;
  EXPECT_THAT(ValidateEraseClientData(no_client).message(), HasSubstr("client_id"));
}

}  // namespace
}  // namespace confide
