// ConsentService and RequireConsent over the in-memory database: supersession, withdrawal and
// what withdrawing partner involvement ends. Access is the pipeline's (tested elsewhere).

#include "services/consents/consent_service.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/error_info.h"
#include "services/audit/audit_event.h"
#include "services/auth/ports/one_time_token_repository.h"
#include "services/consents/consent_requirements.h"
#include "services/consents/consent_validation.h"
#include "services/partners/ports/partner_link_repository.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/in_memory_unit_of_work.h"
#include "tests/fakes/pipeline_test_support.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kClinic[] = "clinic-a";
constexpr char kClient[] = "00000000-0000-7000-8000-00000000c001";
constexpr char kPartnerId[] = "00000000-0000-7000-8000-00000000a007";
constexpr char kLinkId[] = "00000000-0000-7000-8000-00000000b001";
constexpr char kOtherClient[] = "00000000-0000-7000-8000-00000000c002";
constexpr char kOtherPartnerId[] = "00000000-0000-7000-8000-00000000a008";
constexpr char kOtherLinkId[] = "00000000-0000-7000-8000-00000000b002";
const absl::Time kNow = absl::FromUnixSeconds(1'767'225'600);

class ConsentServiceTest : public ::testing::Test {
 protected:
  ConsentServiceTest() : uow_(InMemoryDatabase{}), service_(ids_) {
    InMemoryDatabase& db = uow_.state();
    UserRecord partner;
    partner.user.set_id(kPartnerId);
    partner.user.set_clinic_id(kClinic);
    partner.user.set_role(v1::ROLE_PARTNER);
    partner.user.set_client_id(kClient);
    db.users.emplace(kPartnerId, partner);
    db.sessions.emplace("s1", SessionRecord{.id = "s1",
                                            .user_id = kPartnerId,
                                            .clinic_id = kClinic,
                                            .create_time = kNow - absl::Hours(1),
                                            .expire_time = kNow + absl::Hours(8),
                                            .last_seen_time = kNow - absl::Minutes(1)});
    db.partner_links.emplace(kLinkId, PartnerLinkRecord{.id = kLinkId,
                                                        .clinic_id = kClinic,
                                                        .client_id = kClient,
                                                        .partner_user_id = kPartnerId,
                                                        .shares = 1,
                                                        .create_time = kNow,
                                                        .update_time = kNow});
    ClientRecord client{.clinic_id = kClinic};
    client.client.set_id(kClient);
    client.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    db.clients.emplace(kClient, client);
    // Another client of the clinic with her own partner.
    UserRecord other_partner;
    other_partner.user.set_id(kOtherPartnerId);
    other_partner.user.set_clinic_id(kClinic);
    other_partner.user.set_role(v1::ROLE_PARTNER);
    other_partner.user.set_client_id(kOtherClient);
    db.users.emplace(kOtherPartnerId, other_partner);
    db.partner_links.emplace(kOtherLinkId, PartnerLinkRecord{.id = kOtherLinkId,
                                                             .clinic_id = kClinic,
                                                             .client_id = kOtherClient,
                                                             .partner_user_id = kOtherPartnerId,
                                                             .shares = 1,
                                                             .create_time = kNow,
                                                             .update_time = kNow});
    ClientRecord other{.clinic_id = kClinic};
    other.client.set_id(kOtherClient);
    other.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    db.clients.emplace(kOtherClient, other);
  }

  // A pending partner invitation of `client_id`.
  void AddPartnerInvitation(const std::string& id, const std::string& client_id) {
    OneTimeTokenRecord token;
    token.id = id;
    token.token_digest = "digest-" + id;
    token.purpose = TokenPurpose::kPartnerInvitation;
    token.clinic_id = kClinic;
    token.email = id + "@example.test";
    token.role = v1::ROLE_PARTNER;
    token.client_id = client_id;
    token.create_time = kNow;
    token.expire_time = kNow + absl::Hours(72);
    uow_.state().one_time_tokens.emplace(id, token);
  }

  // A scope for the patient herself at `now`.
  RequestScope Scope(absl::Time now = kNow) {
    return RequestScope{.principal = &patient_,
                        .uow = uow_,
                        .call = call_,
                        .client_id = kClient,
                        .audit = audit_,
                        .now = now};
  }

  absl::StatusOr<v1::Consent> Record(v1::ConsentKind kind, const std::string& version,
                                     absl::Time now = kNow, const std::string& request_id = "") {
    v1::RecordConsentRequest request;
    request.set_client_id("me");
    request.set_kind(kind);
    request.set_text_version(version);
    request.set_request_id(request_id);
    RequestScope scope = Scope(now);
    return service_.Record(request, scope);
  }

  // Withdraws as the patient at kNow + 1h, or as `user_id` in `role` at `now`.
  absl::StatusOr<v1::Consent> Withdraw(const std::string& id,
                                       absl::Time now = kNow + absl::Hours(1),
                                       const std::string& user_id = "jo",
                                       v1::Role role = v1::ROLE_PATIENT) {
    v1::WithdrawConsentRequest request;
    request.set_client_id("me");
    request.set_consent_id(id);
    Principal who{.user_id = user_id, .clinic_id = kClinic, .role = role};
    RequestScope scope{.principal = &who,
                       .uow = uow_,
                       .call = call_,
                       .client_id = kClient,
                       .audit = audit_,
                       .now = now};
    return service_.Withdraw(request, scope);
  }

  Principal patient_{.user_id = "jo", .clinic_id = kClinic, .role = v1::ROLE_PATIENT};
  CallContext call_;
  AuditEvent audit_;
  FakeIdGenerator ids_;
  InMemoryUnitOfWork uow_;
  ConsentService service_;
};

TEST_F(ConsentServiceTest, RequireConsentNamesTheMissingConsent) {
  absl::Status missing =
      RequireConsent(uow_, kClinic, kClient, v1::CONSENT_KIND_INTERNAL_EXAMINATION);

  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(missing.message(),
            "internal examination consent (CONSENT_KIND_INTERNAL_EXAMINATION) is not in force "
            "for this client; record it first");
  EXPECT_EQ(ErrorReason(missing), "CONSENT_REQUIRED");
  EXPECT_EQ(ErrorMetadata(missing, "consent"), "CONSENT_KIND_INTERNAL_EXAMINATION");

  ASSERT_TRUE(Record(v1::CONSENT_KIND_INTERNAL_EXAMINATION, "2026-01").ok());
  EXPECT_TRUE(RequireConsent(uow_, kClinic, kClient, v1::CONSENT_KIND_INTERNAL_EXAMINATION).ok());
  // Another clinic never counts.
  EXPECT_FALSE(
      RequireConsent(uow_, "clinic-b", kClient, v1::CONSENT_KIND_INTERNAL_EXAMINATION).ok());
}

TEST_F(ConsentServiceTest, ANewGrantSupersedesTheOldOneInTheSameTransaction) {
  absl::StatusOr<v1::Consent> first = Record(v1::CONSENT_KIND_TREATMENT, "2025-06");
  absl::StatusOr<v1::Consent> second =
      Record(v1::CONSENT_KIND_TREATMENT, "2026-01", kNow + absl::Minutes(5));
  ASSERT_TRUE(first.ok() && second.ok());

  const ConsentRecord& old = uow_.state().consents.at(first->id());
  EXPECT_EQ(old.state, v1::CONSENT_STATE_SUPERSEDED);
  EXPECT_EQ(old.end_time, kNow + absl::Minutes(5));
  EXPECT_EQ(old.withdrawn_by_user_id, "");
  EXPECT_EQ(second->state(), v1::CONSENT_STATE_GIVEN);
  EXPECT_EQ(second->recorded_by_user_id(), "jo");
  EXPECT_EQ(second->recorded_by_role(), v1::ROLE_PATIENT);
  v1::ListConsentsRequest list;
  list.set_in_force_only(true);
  RequestScope scope = Scope();
  absl::StatusOr<v1::ListConsentsResponse> listed = service_.List(list, scope);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->consents_size(), 1);
  EXPECT_EQ(listed->consents(0).id(), second->id());
  EXPECT_EQ(audit_.resource, std::string("clients/") + kClient + "/consents");
}

TEST_F(ConsentServiceTest, AFailedNewGrantLeavesTheOldOneInForce) {
  absl::StatusOr<v1::Consent> first = Record(v1::CONSENT_KIND_TREATMENT, "2025-06");
  ASSERT_TRUE(first.ok()) << first.status();
  // The service's next id is already taken, so inserting the new grant fails after the old one
  // was marked superseded: both writes must be undone together.
  FakeIdGenerator probe;
  probe.NewId();
  const std::string next_id = probe.NewId();
  uow_.state().consents.emplace(next_id, ConsentRecord{.id = next_id,
                                                       .clinic_id = kClinic,
                                                       .client_id = kOtherClient,
                                                       .kind = v1::CONSENT_KIND_TELEHEALTH,
                                                       .text_version = "x",
                                                       .state = v1::CONSENT_STATE_WITHDRAWN,
                                                       .give_time = kNow});

  absl::StatusOr<v1::Consent> second =
      Record(v1::CONSENT_KIND_TREATMENT, "2026-01", kNow + absl::Minutes(5));

  EXPECT_EQ(second.status().code(), absl::StatusCode::kAborted) << second.status();
  const ConsentRecord& old = uow_.state().consents.at(first->id());
  EXPECT_EQ(old.state, v1::CONSENT_STATE_GIVEN);
  EXPECT_FALSE(old.end_time.has_value());
  EXPECT_TRUE(RequireConsent(uow_, kClinic, kClient, v1::CONSENT_KIND_TREATMENT).ok());
}

TEST_F(ConsentServiceTest, ARequestIdReusedForAnotherKindOrVersionIsAlreadyExists) {
  absl::StatusOr<v1::Consent> first =
      Record(v1::CONSENT_KIND_TREATMENT, "2026-01", kNow, "request-1");
  ASSERT_TRUE(first.ok()) << first.status();

  absl::StatusOr<v1::Consent> retry =
      Record(v1::CONSENT_KIND_TREATMENT, "2026-01", kNow + absl::Minutes(1), "request-1");
  absl::StatusOr<v1::Consent> other_kind =
      Record(v1::CONSENT_KIND_TELEHEALTH, "2026-01", kNow + absl::Minutes(1), "request-1");
  absl::StatusOr<v1::Consent> other_version =
      Record(v1::CONSENT_KIND_TREATMENT, "2026-02", kNow + absl::Minutes(1), "request-1");

  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->id(), first->id());
  EXPECT_EQ(retry->give_time().seconds(), first->give_time().seconds());
  for (const absl::StatusOr<v1::Consent>& refused : {other_kind, other_version}) {
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(refused.status().message(), "request_id was already used for another request");
  }
  EXPECT_EQ(uow_.state().consents.size(), 1u);
}

TEST_F(ConsentServiceTest, AnArchivedClientCannotGiveConsentButCanWithdrawIt) {
  absl::StatusOr<v1::Consent> consent = Record(v1::CONSENT_KIND_TELEHEALTH, "2026-01");
  ASSERT_TRUE(consent.ok()) << consent.status();
  uow_.state().clients.at(kClient).client.set_status(v1::CLIENT_STATUS_ARCHIVED);

  absl::StatusOr<v1::Consent> recorded = Record(v1::CONSENT_KIND_TREATMENT, "2026-01");
  absl::StatusOr<v1::Consent> withdrawn = Withdraw(consent->id());

  EXPECT_EQ(recorded.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(recorded.status().message(), HasSubstr("archived"));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(uow_.state().consents.at(consent->id()).state, v1::CONSENT_STATE_WITHDRAWN);
}

TEST_F(ConsentServiceTest, WithdrawingPartnerInvolvementEndsEveryPartnersAccess) {
  absl::StatusOr<v1::Consent> consent = Record(v1::CONSENT_KIND_PARTNER_INVOLVEMENT, "2026-01");
  ASSERT_TRUE(consent.ok()) << consent.status();
  AddPartnerInvitation("invitation-1", kClient);
  AddPartnerInvitation("invitation-2", kOtherClient);

  absl::StatusOr<v1::Consent> withdrawn = Withdraw(consent->id());

  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(withdrawn->withdrawn_by_user_id(), "jo");
  EXPECT_EQ(withdrawn->withdrawn_by_role(), v1::ROLE_PATIENT);
  const InMemoryDatabase& db = uow_.state();
  EXPECT_EQ(db.consents.at(consent->id()).withdrawn_by_role, v1::ROLE_PATIENT);
  EXPECT_EQ(db.partner_links.at(kLinkId).revoke_time, kNow + absl::Hours(1));
  EXPECT_FALSE(db.users.at(kPartnerId).active);
  EXPECT_EQ(db.sessions.at("s1").revoke_time, kNow + absl::Hours(1));
  // Her pending partner invitation can no longer be accepted.
  EXPECT_EQ(db.one_time_tokens.at("invitation-1").revoke_time, kNow + absl::Hours(1));
  // Another client's partner and invitation are untouched.
  EXPECT_FALSE(db.partner_links.at(kOtherLinkId).revoke_time.has_value());
  EXPECT_TRUE(db.users.at(kOtherPartnerId).active);
  EXPECT_FALSE(db.one_time_tokens.at("invitation-2").revoke_time.has_value());
  EXPECT_EQ(audit_.resource, std::string("clients/") + kClient + "/consents/" + consent->id());
  // Withdrawn once is withdrawn: a second time is refused, and nothing changes.
  absl::StatusOr<v1::Consent> again =
      Withdraw(consent->id(), kNow + absl::Hours(2), "sam", v1::ROLE_CLINICIAN);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(again.status().message(), HasSubstr("not in force"));
  const ConsentRecord& stored = uow_.state().consents.at(consent->id());
  EXPECT_EQ(stored.state, v1::CONSENT_STATE_WITHDRAWN);
  EXPECT_EQ(stored.end_time, kNow + absl::Hours(1));
  EXPECT_EQ(stored.withdrawn_by_user_id, "jo");
  EXPECT_EQ(stored.withdrawn_by_role, v1::ROLE_PATIENT);
}

TEST_F(ConsentServiceTest, WithdrawingAnotherKindLeavesPartnersAlone) {
  absl::StatusOr<v1::Consent> consent = Record(v1::CONSENT_KIND_TELEHEALTH, "2026-01");
  ASSERT_TRUE(consent.ok());

  ASSERT_TRUE(Withdraw(consent->id()).ok());

  EXPECT_FALSE(uow_.state().partner_links.at(kLinkId).revoke_time.has_value());
  EXPECT_TRUE(uow_.state().users.at(kPartnerId).active);
}

TEST_F(ConsentServiceTest, UnknownOrMalformedIdsAreNotFound) {
  EXPECT_EQ(Withdraw("00000000-0000-7000-8000-0000000000ff").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Withdraw("x").status().code(), absl::StatusCode::kNotFound);
}

TEST(ConsentValidationTest, NamesEveryBadField) {
  v1::RecordConsentRequest request;
  EXPECT_THAT(ViolatedFields(ValidateRecordConsent(request)),
              ElementsAre("client_id", "kind", "text_version"));
  request.set_client_id("me");
  request.set_kind(static_cast<v1::ConsentKind>(42));
  request.set_text_version(std::string(40, 'v'));
  request.set_request_id("a\nb");
  EXPECT_THAT(ViolatedFields(ValidateRecordConsent(request)), ElementsAre("kind", "request_id"));
  request.set_kind(v1::CONSENT_KIND_TREATMENT);
  request.set_request_id(std::string(100, 'r'));
  EXPECT_TRUE(ValidateRecordConsent(request).ok());
  request.set_text_version("   ");
  EXPECT_THAT(ViolatedFields(ValidateRecordConsent(request)), ElementsAre("text_version"));

  v1::WithdrawConsentRequest withdraw;
  EXPECT_THAT(ViolatedFields(ValidateWithdrawConsent(withdraw)),
              ElementsAre("client_id", "consent_id"));
}

TEST(ConsentDisplayNameTest, ReadsLikeText) {
  EXPECT_EQ(ConsentDisplayName(v1::CONSENT_KIND_PARTNER_INVOLVEMENT),
            "partner involvement consent");
  EXPECT_EQ(ConsentDisplayName(v1::CONSENT_KIND_TREATMENT), "treatment consent");
}

}  // namespace
}  // namespace confide
