#include "services/clients/client_validation.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "confide/v1/clients.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// A client that passes every check; tests change one thing at a time.
v1::Client ValidClient() {
  v1::Client client;
  client.set_legal_given_name("Joanna");
  client.set_legal_family_name("Example");
  client.set_preferred_name("Jo");
  client.set_date_of_birth("1990-01-05");
  client.set_email("jo@example.org");
  client.set_phone("+44 20 7946 0958");
  client.set_presenting_concern(v1::PRESENTING_CONCERN_PRIMARY_VAGINISMUS);
  client.set_status(v1::CLIENT_STATUS_ENQUIRY);
  return client;
}

v1::CreateClientRequest CreateRequest(v1::Client client) {
  v1::CreateClientRequest request;
  *request.mutable_client() = std::move(client);
  return request;
}

// The google.rpc.BadRequest riding on `status`, or nullopt when there is none.
std::optional<google::rpc::BadRequest> BadRequestOf(const absl::Status& status) {
  // An absl::optional: Debian's abseil does not alias it to std::optional.
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  if (!payload.has_value()) {
    return std::nullopt;
  }
  google::rpc::BadRequest details;
  if (!details.ParseFromString(std::string(*payload))) {
    return std::nullopt;
  }
  return details;
}

// The field paths the status's BadRequest names; empty when it carries none.
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  if (std::optional<google::rpc::BadRequest> details = BadRequestOf(status)) {
    for (const auto& violation : details->field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

std::vector<std::string> CreateViolations(const v1::Client& client) {
  return ViolatedFields(ValidateCreateClient(CreateRequest(client)));
}

TEST(ValidateCreateClientTest, ValidClientIsAccepted) {
  EXPECT_TRUE(ValidateCreateClient(CreateRequest(ValidClient())).ok());
}

TEST(ValidateCreateClientTest, OnlyLegalNamesAreRequired) {
  v1::Client minimal;
  minimal.set_legal_given_name("Joanna");
  minimal.set_legal_family_name("Example");
  EXPECT_TRUE(ValidateCreateClient(CreateRequest(minimal)).ok());
}

TEST(ValidateCreateClientTest, MissingRequestClientIsReportedAsTheClientField) {
  const absl::Status status = ValidateCreateClient(v1::CreateClientRequest());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("client"));
}

TEST(ValidateCreateClientTest, MissingLegalNamesAreBothReportedWithTheirPaths) {
  v1::Client client = ValidClient();
  client.clear_legal_given_name();
  client.clear_legal_family_name();
  const absl::Status status = ValidateCreateClient(CreateRequest(client));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("client.legal_given_name", "client.legal_family_name"));
}

TEST(ValidateCreateClientTest, WhitespaceOnlyNameCountsAsMissing) {
  v1::Client client = ValidClient();
  client.set_legal_family_name(" \t ");
  EXPECT_THAT(CreateViolations(client), ElementsAre("client.legal_family_name"));
}

TEST(ValidateCreateClientTest, NamesAreLimitedTo200Characters) {
  v1::Client at_limit = ValidClient();
  at_limit.set_legal_given_name(std::string(200, 'a'));
  at_limit.set_preferred_name(std::string(200, 'b'));
  EXPECT_THAT(CreateViolations(at_limit), IsEmpty());

  v1::Client over = ValidClient();
  over.set_legal_given_name(std::string(201, 'a'));
  over.set_legal_family_name(std::string(201, 'a'));
  over.set_preferred_name(std::string(201, 'b'));
  EXPECT_THAT(CreateViolations(over),
              UnorderedElementsAre("client.legal_given_name", "client.legal_family_name",
                                   "client.preferred_name"));
}

TEST(ValidateCreateClientTest, OtherTextFieldsHaveTheirLengthLimits) {
  v1::Client client = ValidClient();
  client.set_pronouns(std::string(51, 'p'));
  client.mutable_discreet_contact()->set_safe_times_to_call(std::string(201, 's'));
  client.mutable_emergency_contact()->set_name(std::string(201, 'n'));
  client.mutable_emergency_contact()->set_relationship(std::string(201, 'r'));
  client.set_referral_source(std::string(201, 'f'));
  EXPECT_THAT(
      CreateViolations(client),
      UnorderedElementsAre("client.pronouns", "client.discreet_contact.safe_times_to_call",
                           "client.emergency_contact.name", "client.emergency_contact.relationship",
                           "client.referral_source"));
}

TEST(ValidateCreateClientTest, DateOfBirthThatIsNotOnTheCalendarIsRefused) {
  v1::Client client = ValidClient();
  client.set_date_of_birth("2024-02-30");
  EXPECT_THAT(CreateViolations(client), ElementsAre("client.date_of_birth"));
}

TEST(ValidateCreateClientTest, DateOfBirthWithoutZeroPaddingIsRefused) {
  v1::Client client = ValidClient();
  client.set_date_of_birth("1990-1-5");
  EXPECT_THAT(CreateViolations(client), ElementsAre("client.date_of_birth"));
}

TEST(ValidateCreateClientTest, ZeroPaddedCalendarDateOfBirthIsAccepted) {
  v1::Client client = ValidClient();
  client.set_date_of_birth("1990-01-05");
  EXPECT_THAT(CreateViolations(client), IsEmpty());
}

TEST(ValidateCreateClientTest, DateOfBirthMustBeStrictYyyyMmDdOnTheCalendar) {
  const struct {
    std::string date;
    bool accepted;
  } kCases[] = {
      {"", true},  // optional
      {"2024-02-29", true},
      {"2000-12-31", true},
      {"1900-01-01", true},
      {"2023-02-29", false},
      {"1990-13-01", false},
      {"1990-00-10", false},
      {"1990-04-31", false},
      {"1899-12-31", false},
      {"05/01/1990", false},
      {"1990/01/05", false},
      {"19900105", false},
      {"1990-01-05T00:00", false},
      {" 1990-01-05", false},
      {"+990-01-05", false},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.date);
    v1::Client client = ValidClient();
    client.set_date_of_birth(c.date);
    if (c.accepted) {
      EXPECT_THAT(CreateViolations(client), IsEmpty());
    } else {
      EXPECT_THAT(CreateViolations(client), ElementsAre("client.date_of_birth"));
    }
  }
}

TEST(ValidateCreateClientTest, EmailMustLookLikeAnAddress) {
  const struct {
    std::string email;
    bool accepted;
  } kCases[] = {
      {"", true},  // optional
      {"jo@example.org", true},
      {"jo.x+tag@mail.example.co.uk", true},
      {"jo.example.org", false},
      {"jo@", false},
      {"@example.org", false},
      {"jo@@example.org", false},
      {"jo@ex@ample.org", false},
      {"jo @example.org", false},
      {"jo@example", false},
      {std::string(250, 'j') + "@x.org", false},  // over 254 characters
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.email);
    v1::Client client = ValidClient();
    client.set_email(c.email);
    if (c.accepted) {
      EXPECT_THAT(CreateViolations(client), IsEmpty());
    } else {
      EXPECT_THAT(CreateViolations(client), ElementsAre("client.email"));
    }
  }
}

TEST(ValidateCreateClientTest, PhoneIsFiveToFifteenDigitsWithPunctuation) {
  const struct {
    std::string phone;
    bool accepted;
  } kCases[] = {
      {"", true},  // optional
      {"12345", true},
      {"+44 (0)20 7946-0958", true},
      {"123456789012345", true},
      {"1234", false},
      {"1234567890123456", false},
      {"020 7946 0958 ext 2", false},
      {"020.7946.0958", false},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.phone);
    v1::Client client = ValidClient();
    client.set_phone(c.phone);
    client.mutable_emergency_contact()->set_phone(c.phone);
    if (c.accepted) {
      EXPECT_THAT(CreateViolations(client), IsEmpty());
    } else {
      EXPECT_THAT(CreateViolations(client),
                  UnorderedElementsAre("client.phone", "client.emergency_contact.phone"));
    }
  }
}

TEST(ValidateCreateClientTest, PresentingConcernOtherNeedsItsText) {
  v1::Client client = ValidClient();
  client.set_presenting_concern(v1::PRESENTING_CONCERN_OTHER);
  EXPECT_THAT(CreateViolations(client), ElementsAre("client.presenting_concern_other"));

  client.set_presenting_concern_other("   ");
  EXPECT_THAT(CreateViolations(client), ElementsAre("client.presenting_concern_other"));

  client.set_presenting_concern_other("pain with tampon insertion");
  EXPECT_THAT(CreateViolations(client), IsEmpty());
}

TEST(ValidateCreateClientTest, PresentingConcernTextIsLimitedTo500Characters) {
  v1::Client client = ValidClient();
  client.set_presenting_concern(v1::PRESENTING_CONCERN_OTHER);
  client.set_presenting_concern_other(std::string(500, 'x'));
  EXPECT_THAT(CreateViolations(client), IsEmpty());
  client.set_presenting_concern_other(std::string(501, 'x'));
  EXPECT_THAT(CreateViolations(client), ElementsAre("client.presenting_concern_other"));
}

// proto3 enums are open: a caller can send any number, and it must not reach storage.
TEST(ValidateCreateClientTest, UnknownEnumNumbersAreRefused) {
  v1::Client client = ValidClient();
  client.set_presenting_concern(static_cast<v1::PresentingConcern>(42));
  client.set_status(static_cast<v1::ClientStatus>(42));
  client.mutable_discreet_contact()->set_preferred_channel(static_cast<v1::ContactChannel>(42));
  EXPECT_THAT(CreateViolations(client),
              UnorderedElementsAre("client.presenting_concern", "client.status",
                                   "client.discreet_contact.preferred_channel"));
}

TEST(ValidateCreateClientTest, NewClientMayStartAsEnquiryIntakeOrActive) {
  for (v1::ClientStatus status : {v1::CLIENT_STATUS_UNSPECIFIED, v1::CLIENT_STATUS_ENQUIRY,
                                  v1::CLIENT_STATUS_INTAKE, v1::CLIENT_STATUS_ACTIVE}) {
    SCOPED_TRACE(v1::ClientStatus_Name(status));
    v1::Client client = ValidClient();
    client.set_status(status);
    EXPECT_THAT(CreateViolations(client), IsEmpty());
  }
}

TEST(ValidateCreateClientTest, NewClientThatIsDischargedOrArchivedIsRefused) {
  for (v1::ClientStatus status : {v1::CLIENT_STATUS_DISCHARGED, v1::CLIENT_STATUS_ARCHIVED}) {
    SCOPED_TRACE(v1::ClientStatus_Name(status));
    v1::Client client = ValidClient();
    client.set_status(status);
    const absl::Status result = ValidateCreateClient(CreateRequest(client));
    EXPECT_EQ(result.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(ViolatedFields(result), ElementsAre("client.status"));
  }
}

TEST(ValidateCreateClientTest, RequestIdIsLimitedTo64Characters) {
  v1::CreateClientRequest request = CreateRequest(ValidClient());
  request.set_request_id(std::string(64, 'r'));
  EXPECT_TRUE(ValidateCreateClient(request).ok());
  request.set_request_id(std::string(65, 'r'));
  EXPECT_THAT(ViolatedFields(ValidateCreateClient(request)), ElementsAre("request_id"));
}

// A caller fixes a form in one round trip only if every problem comes back at once.
TEST(ValidateCreateClientTest, EveryProblemIsReportedInOneAnswerAndNamedInTheMessage) {
  v1::Client client = ValidClient();
  client.clear_legal_given_name();
  client.set_date_of_birth("2024-02-30");
  client.set_email("not-an-email");
  const absl::Status status = ValidateCreateClient(CreateRequest(client));
  EXPECT_THAT(ViolatedFields(status), UnorderedElementsAre("client.legal_given_name",
                                                           "client.date_of_birth", "client.email"));
  EXPECT_THAT(status.message(), HasSubstr("client.legal_given_name"));
  EXPECT_THAT(status.message(), HasSubstr("client.date_of_birth"));
  EXPECT_THAT(status.message(), HasSubstr("client.email"));
}

TEST(ValidateCreateClientTest, EachViolationSaysWhatIsWrong) {
  v1::Client client = ValidClient();
  client.set_date_of_birth("1990-1-5");
  std::optional<google::rpc::BadRequest> details =
      BadRequestOf(ValidateCreateClient(CreateRequest(client)));
  ASSERT_TRUE(details.has_value());
  ASSERT_EQ(details->field_violations_size(), 1);
  EXPECT_EQ(details->field_violations(0).field(), "client.date_of_birth");
  EXPECT_THAT(details->field_violations(0).description(), HasSubstr("YYYY-MM-DD"));
}

// Submitted values may be PHI; errors end up in logs and on screens.
TEST(ValidateCreateClientTest, ErrorsNeverEchoTheSubmittedValues) {
  const std::string kMarker = "Zq7Xv";
  v1::Client client = ValidClient();
  client.set_legal_given_name(kMarker + std::string(200, 'a'));
  client.set_date_of_birth(kMarker + "-02-30");
  client.set_email(kMarker + "@@example.org");
  client.set_phone(kMarker + " 020 7946 0958");
  client.mutable_emergency_contact()->set_phone(kMarker);
  client.set_presenting_concern(v1::PRESENTING_CONCERN_OTHER);
  client.set_presenting_concern_other(kMarker + std::string(500, 'c'));
  client.mutable_discreet_contact()->set_safe_times_to_call(kMarker + std::string(200, 't'));
  const absl::Status status = ValidateCreateClient(CreateRequest(client));

  EXPECT_EQ(ViolatedFields(status).size(), 7u);
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kMarker)));
  std::optional<google::rpc::BadRequest> details = BadRequestOf(status);
  ASSERT_TRUE(details.has_value());
  for (const auto& violation : details->field_violations()) {
    EXPECT_THAT(violation.description(), Not(HasSubstr(kMarker))) << violation.field();
  }
  EXPECT_THAT(details->SerializeAsString(), Not(HasSubstr(kMarker)));
}

TEST(ValidateClientFieldsTest, PathsStartWithTheGivenPrefix) {
  v1::Client client = ValidClient();
  client.set_date_of_birth("2024-02-30");
  client.mutable_emergency_contact()->set_phone("x");
  EXPECT_THAT(ViolatedFields(ValidateClientFields(client, "client")),
              UnorderedElementsAre("client.date_of_birth", "client.emergency_contact.phone"));
  EXPECT_THAT(ViolatedFields(ValidateClientFields(client, "")),
              UnorderedElementsAre("date_of_birth", "emergency_contact.phone"));
}

TEST(ValidateClientFieldsTest, AcceptsAnyKnownStatus) {
  v1::Client client = ValidClient();
  client.set_status(v1::CLIENT_STATUS_ARCHIVED);
  EXPECT_TRUE(ValidateClientFields(client, "client").ok());
}

TEST(ValidateGetClientTest, ClientIdIsRequiredAndAtMost64Characters) {
  v1::GetClientRequest request;
  EXPECT_THAT(ViolatedFields(ValidateGetClient(request)), ElementsAre("client_id"));
  request.set_client_id(std::string(65, 'c'));
  EXPECT_THAT(ViolatedFields(ValidateGetClient(request)), ElementsAre("client_id"));
  request.set_client_id(std::string(64, 'c'));
  EXPECT_TRUE(ValidateGetClient(request).ok());
  request.set_client_id("me");
  EXPECT_TRUE(ValidateGetClient(request).ok());
}

TEST(ValidateListClientsTest, PageSizeIsZeroTo500) {
  v1::ListClientsRequest request;
  for (int size : {0, 1, 500}) {
    request.set_page_size(size);
    EXPECT_TRUE(ValidateListClients(request).ok()) << size;
  }
  for (int size : {-1, 501}) {
    request.set_page_size(size);
    EXPECT_THAT(ViolatedFields(ValidateListClients(request)), ElementsAre("page_size")) << size;
  }
}

TEST(ValidateListClientsTest, UnknownStatusAndOversizedTextAreRefused) {
  v1::ListClientsRequest request;
  request.set_status(static_cast<v1::ClientStatus>(42));
  request.set_name_prefix(std::string(201, 'n'));
  request.set_page_token(std::string(513, 't'));
  EXPECT_THAT(ViolatedFields(ValidateListClients(request)),
              UnorderedElementsAre("status", "name_prefix", "page_token"));
}

TEST(ValidateUpdateClientTest, IdEtagAndMaskAreRequired) {
  const absl::Status status = ValidateUpdateClient(v1::UpdateClientRequest());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("client.id", "client.etag", "update_mask"));
}

TEST(ValidateUpdateClientTest, RequestNamingRecordEtagAndFieldIsAccepted) {
  v1::UpdateClientRequest request;
  request.mutable_client()->set_id("client-1");
  request.mutable_client()->set_etag("v1");
  request.mutable_update_mask()->add_paths("preferred_name");
  EXPECT_TRUE(ValidateUpdateClient(request).ok());
}

TEST(ValidateArchiveClientTest, ClientIdAndEtagAreRequired) {
  EXPECT_THAT(ViolatedFields(ValidateArchiveClient(v1::ArchiveClientRequest())),
              UnorderedElementsAre("client_id", "etag"));
  v1::ArchiveClientRequest request;
  request.set_client_id("client-1");
  request.set_etag("v3");
  EXPECT_TRUE(ValidateArchiveClient(request).ok());
}

struct StatusChangeCase {
  v1::ClientStatus from;
  v1::ClientStatus to;
  bool allowed;
};

class IsAllowedStatusChangeTest : public ::testing::TestWithParam<StatusChangeCase> {};

TEST_P(IsAllowedStatusChangeTest, FollowsTheCarePathway) {
  const StatusChangeCase& c = GetParam();
  EXPECT_EQ(IsAllowedStatusChange(c.from, c.to), c.allowed)
      << v1::ClientStatus_Name(c.from) << " -> " << v1::ClientStatus_Name(c.to);
}

constexpr v1::ClientStatus kEnquiry = v1::CLIENT_STATUS_ENQUIRY;
constexpr v1::ClientStatus kIntake = v1::CLIENT_STATUS_INTAKE;
constexpr v1::ClientStatus kActive = v1::CLIENT_STATUS_ACTIVE;
constexpr v1::ClientStatus kDischarged = v1::CLIENT_STATUS_DISCHARGED;
constexpr v1::ClientStatus kArchived = v1::CLIENT_STATUS_ARCHIVED;
constexpr v1::ClientStatus kUnspecified = v1::CLIENT_STATUS_UNSPECIFIED;

INSTANTIATE_TEST_SUITE_P(
    CarePathway, IsAllowedStatusChangeTest,
    ::testing::Values(
        // Forward, one step or several.
        StatusChangeCase{kEnquiry, kIntake, true}, StatusChangeCase{kIntake, kActive, true},
        StatusChangeCase{kActive, kDischarged, true}, StatusChangeCase{kEnquiry, kActive, true},
        StatusChangeCase{kEnquiry, kDischarged, true},
        // Staying put is no change.
        StatusChangeCase{kEnquiry, kEnquiry, true}, StatusChangeCase{kActive, kActive, true},
        StatusChangeCase{kDischarged, kDischarged, true},
        // A discharged client may come back to active care, but not to earlier steps.
        StatusChangeCase{kDischarged, kActive, true}, StatusChangeCase{kDischarged, kIntake, false},
        StatusChangeCase{kDischarged, kEnquiry, false},
        // Otherwise care does not move backwards.
        StatusChangeCase{kIntake, kEnquiry, false}, StatusChangeCase{kActive, kIntake, false},
        StatusChangeCase{kActive, kEnquiry, false},
        // Archiving has its own RPC, and nothing leaves the archive by update.
        StatusChangeCase{kEnquiry, kArchived, false}, StatusChangeCase{kActive, kArchived, false},
        StatusChangeCase{kDischarged, kArchived, false},
        StatusChangeCase{kArchived, kActive, false}, StatusChangeCase{kArchived, kEnquiry, false},
        // UNSPECIFIED is not a state of care.
        StatusChangeCase{kUnspecified, kActive, false},
        StatusChangeCase{kActive, kUnspecified, false}));

}  // namespace
}  // namespace confide

namespace confide {
namespace {

TEST(BirthDateTest, FutureBirthDateIsRefusedAndTodayIsAccepted) {
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());
  v1::Client client;
  client.set_date_of_birth("2026-11-26");
  absl::Status future = ValidateBirthDateNotInFuture(client, "client", now);
  EXPECT_EQ(future.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(future.message().find("client.date_of_birth"), std::string::npos);
  client.set_date_of_birth("2026-11-25");
  EXPECT_TRUE(ValidateBirthDateNotInFuture(client, "client", now).ok());
}

}  // namespace
}  // namespace confide
