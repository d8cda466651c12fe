// NoteService's own rules over the in-memory database with the real envelope cipher and real
// SHA-256: the lifecycle through the handlers, who sees which note, signed content that never
// changes (and is verified on every read), addenda, co-signatures, psychotherapy notes, the
// patient's summaries, and no note text in any error. Access to the client itself is the
// pipeline's (authorization_matrix_test.cc).

#include "services/notes/note_service.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/api/page_token.h"
#include "services/common/timestamps.h"
#include "services/notes/note_content.h"
#include "tests/fakes/clinical_test_support.h"
#include "tests/fakes/fake_id_generator.h"
#include "tests/fakes/pipeline_test_support.h"
#include "tests/unit/services/plans/plan_test_support.h"

namespace confide {
namespace {

using google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "00000000-0000-7000-8000-00000000c001";
// Archived.
constexpr char kRiley[] = "00000000-0000-7000-8000-00000000c002";
// No internal-examination consent.
constexpr char kMax[] = "00000000-0000-7000-8000-00000000c003";
// Every text a note holds starts with this, so no error may contain it.
constexpr char kSecret[] = "SECRET-";
const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

Principal Clinician(const std::string& user_id) {
  Principal who = ClinicianPrincipal(kClinic);
  who.user_id = user_id;
  return who;
}

UserRecord User(const std::string& id, v1::Role role) {
  UserRecord user;
  user.user.set_id(id);
  user.user.set_clinic_id(kClinic);
  user.user.set_role(role);
  return user;
}

// A cipher that can run something just before it seals: another writer's change landing
// between this call's read and its write.
class RacingCipher final : public ClientDataCipher {
 public:
  explicit RacingCipher(ClientDataCipher& real) : real_(real) {}
  absl::StatusOr<std::string> Seal(UnitOfWork& uow, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view plaintext) override {
    if (before_seal_) {
      std::function<void()> once = std::move(before_seal_);
      before_seal_ = nullptr;
      once();
    }
    return real_.Seal(uow, clinic_id, client_id, where, plaintext);
  }
  absl::StatusOr<std::string> Open(UnitOfWork& uow, std::string_view clinic_id,
                                   std::string_view client_id, const FieldLocation& where,
                                   std::string_view sealed) override {
    return real_.Open(uow, clinic_id, client_id, where, sealed);
  }
  std::function<void()> before_seal_;

 private:
  ClientDataCipher& real_;
};

v1::Note SessionNote() {
  v1::Note note;
  note.set_kind(v1::NOTE_KIND_SESSION);
  v1::SessionDetails* session = note.mutable_session();
  // Nanoseconds below a microsecond are dropped as the database drops them.
  *session->mutable_start_time() = ToTimestamp(kStart - absl::Hours(3) + absl::Nanoseconds(1500));
  session->set_duration_minutes(50);
  session->set_modality(v1::SESSION_MODALITY_IN_PERSON);
  session->set_type(v1::SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY);
  v1::SoapSections* soap = note.mutable_soap();
  soap->set_subjective(std::string(kSecret) + "subjective");
  soap->set_objective(std::string(kSecret) + "objective");
  soap->set_assessment(std::string(kSecret) + "assessment");
  soap->set_plan(std::string(kSecret) + "plan");
  v1::PelvicFloorFindings* findings = note.mutable_pelvic_floor_findings();
  findings->set_examination(v1::PELVIC_EXAMINATION_INTERNAL);
  findings->set_muscle_tone(v1::MUSCLE_TONE_HIGH);
  v1::TenderPoint* point = findings->add_tender_points();
  point->set_clock_position(5);
  point->set_pain_score(6);
  findings->set_comments(std::string(kSecret) + "findings");
  note.mutable_patient_summary()->set_summary(std::string(kSecret) + "summary");
  note.mutable_patient_summary()->set_homework(std::string(kSecret) + "homework");
  return note;
}

v1::Note PsychotherapyNote() {
  v1::Note note;
  note.set_kind(v1::NOTE_KIND_PSYCHOTHERAPY);
  v1::SessionDetails* session = note.mutable_session();
  *session->mutable_start_time() = ToTimestamp(kStart - absl::Hours(1));
  session->set_duration_minutes(60);
  session->set_modality(v1::SESSION_MODALITY_TELEHEALTH);
  session->set_type(v1::SESSION_TYPE_THERAPY);
  note.mutable_free_text()->set_text(std::string(kSecret) + "process notes");
  return note;
}

class NoteServiceTest : public ClinicalServiceTest {
 protected:
  NoteServiceTest()
      : ClinicalServiceTest(kStart, Seeded(), kClinic, kJo),
        racing_(cipher_),
        service_(racing_, ids_, digests_),
        sam_(Clinician("sam")),
        alex_(Clinician("alex")),
        casey_(Clinician("casey")) {}

  // Jo's care team: Sam and Alex (clinicians) and Ada (an admin). Casey is a clinician of the
  // clinic on no care team (break-glass). Jo gave the internal-examination consent; Max did
  // not; Riley is archived.
  static InMemoryDatabase Seeded() {
    InMemoryDatabase db;
    for (const char* id : {kJo, kRiley, kMax}) {
      ClientRecord client{.clinic_id = kClinic};
      client.client.set_id(id);
      client.client.set_status(id == kRiley ? v1::CLIENT_STATUS_ARCHIVED
                                            : v1::CLIENT_STATUS_ACTIVE);
      for (const char* member : {"sam", "alex", "ada"}) {
        client.client.add_care_team()->set_user_id(member);
      }
      db.clients.emplace(id, client);
    }
    for (const char* clinician : {"sam", "alex", "casey"}) {
      db.users.emplace(clinician, User(clinician, v1::ROLE_CLINICIAN));
    }
    db.users.emplace("ada", User("ada", v1::ROLE_ADMIN));
    db.consents.emplace("consent-1", ConsentRecord{.id = "consent-1",
                                                   .clinic_id = kClinic,
                                                   .client_id = kJo,
                                                   .kind = v1::CONSENT_KIND_INTERNAL_EXAMINATION,
                                                   .text_version = "1",
                                                   .state = v1::CONSENT_STATE_GIVEN,
                                                   .give_time = kStart - absl::Hours(24 * 30)});
    return db;
  }

  // Every failure a test met, so MessagesNeverHoldNoteText can look at them all.
  template <typename T>
  T Seen(T result) {
    if (!result.ok()) {
      errors_.push_back(result.status());
    }
    return result;
  }

  absl::StatusOr<v1::Note> Create(const Principal& who, const v1::Note& note,
                                  const std::string& client = kJo,
                                  const std::string& request_id = "") {
    v1::CreateNoteRequest request;
    request.set_client_id(client);
    *request.mutable_note() = note;
    request.set_request_id(request_id);
    return Seen(As(who, client, [&](RequestScope& s) { return service_.Create(request, s); }));
  }
  absl::StatusOr<v1::Note> Get(const Principal& who, const std::string& note_id,
                               const std::string& client = kJo) {
    v1::GetNoteRequest request;
    request.set_client_id(client);
    request.set_note_id(note_id);
    return Seen(As(who, client, [&](RequestScope& s) { return service_.Get(request, s); }));
  }
  absl::StatusOr<v1::ListNotesResponse> List(const Principal& who, bool include_discarded = false,
                                             int page_size = 0, const std::string& token = "") {
    v1::ListNotesRequest request;
    request.set_client_id(kJo);
    request.set_include_discarded(include_discarded);
    request.set_page_size(page_size);
    request.set_page_token(token);
    return Seen(As(who, kJo, [&](RequestScope& s) { return service_.List(request, s); }));
  }
  std::vector<std::string> ListedIds(const Principal& who, bool include_discarded = false) {
    std::vector<std::string> ids;
    absl::StatusOr<v1::ListNotesResponse> listed = List(who, include_discarded);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (listed.ok()) {
      for (const v1::Note& note : listed->notes()) {
        ids.push_back(note.id());
      }
    }
    return ids;
  }
  absl::StatusOr<v1::Note> Update(const Principal& who, const v1::Note& changes,
                                  const std::vector<std::string>& paths) {
    v1::UpdateNoteRequest request;
    *request.mutable_note() = changes;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return Seen(
        As(who, changes.client_id(), [&](RequestScope& s) { return service_.Update(request, s); }));
  }
  absl::StatusOr<v1::Note> Sign(const Principal& who, const v1::Note& note,
                                const std::string& cosigner = "") {
    v1::SignNoteRequest request;
    request.set_client_id(note.client_id());
    request.set_note_id(note.id());
    request.set_etag(note.etag());
    request.set_cosigner_user_id(cosigner);
    return Seen(
        As(who, note.client_id(), [&](RequestScope& s) { return service_.Sign(request, s); }));
  }
  absl::StatusOr<v1::Note> Cosign(const Principal& who, const v1::Note& note,
                                  const std::string& hash) {
    v1::CosignNoteRequest request;
    request.set_client_id(note.client_id());
    request.set_note_id(note.id());
    request.set_content_hash(hash);
    return Seen(
        As(who, note.client_id(), [&](RequestScope& s) { return service_.Cosign(request, s); }));
  }
  absl::StatusOr<v1::Note> Discard(const Principal& who, const v1::Note& note) {
    v1::DiscardNoteRequest request;
    request.set_client_id(note.client_id());
    request.set_note_id(note.id());
    request.set_etag(note.etag());
    return Seen(
        As(who, note.client_id(), [&](RequestScope& s) { return service_.Discard(request, s); }));
  }
  absl::StatusOr<v1::Note> AddAddendum(const Principal& who, const v1::Note& note,
                                       const std::string& text,
                                       const std::string& request_id = "") {
    v1::AddAddendumRequest request;
    request.set_client_id(note.client_id());
    request.set_note_id(note.id());
    request.mutable_addendum()->set_text(text);
    request.set_request_id(request_id);
    return Seen(As(who, note.client_id(),
                   [&](RequestScope& s) { return service_.AddAddendum(request, s); }));
  }
  absl::StatusOr<v1::Note> Share(const Principal& who, const v1::Note& note,
                                 const std::vector<std::string>& readers) {
    v1::SharePsychotherapyNoteRequest request;
    request.set_client_id(note.client_id());
    request.set_note_id(note.id());
    for (const std::string& reader : readers) {
      request.add_reader_user_ids(reader);
    }
    return Seen(
        As(who, note.client_id(), [&](RequestScope& s) { return service_.Share(request, s); }));
  }
  absl::StatusOr<v1::ListSessionSummariesResponse> Summaries(const Principal& who) {
    v1::ListSessionSummariesRequest request;
    request.set_client_id(kJo);
    return Seen(As(who, kJo, [&](RequestScope& s) { return service_.ListSummaries(request, s); }));
  }

  // A note of Jo by Sam, signed.
  v1::Note SignedNote(const v1::Note& content = SessionNote(), const std::string& cosigner = "") {
    absl::StatusOr<v1::Note> draft = Create(sam_, content);
    EXPECT_TRUE(draft.ok()) << draft.status();
    absl::StatusOr<v1::Note> signed_note = Sign(sam_, *draft, cosigner);
    EXPECT_TRUE(signed_note.ok()) << signed_note.status();
    return *signed_note;
  }

  const NoteRecord& Stored(const std::string& note_id) { return uow_.state().notes.at(note_id); }

  OpenSslSecretGenerator digests_;
  FakeIdGenerator ids_{"notes"};
  RacingCipher racing_;
  NoteService service_;
  Principal sam_;
  Principal alex_;
  Principal casey_;
  std::vector<absl::Status> errors_;
};

// Only the content fields of a note, to compare what was written with what is read.
v1::Note ContentOf(const v1::Note& note) {
  v1::Note content = NoteContent(note);
  *content.mutable_session() = note.session();
  *content.mutable_patient_summary() = note.patient_summary();
  content.set_kind(note.kind());
  return content;
}

bool SameContent(const v1::Note& a, const v1::Note& b) {
  return MessageDifferencer::Equals(ContentOf(a), ContentOf(b));
}

TEST_F(NoteServiceTest, CreateStartsADraftOfTheCaller) {
  absl::StatusOr<v1::Note> note = Create(sam_, SessionNote());
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_EQ(note->state(), v1::NOTE_STATE_DRAFT);
  EXPECT_EQ(note->author_user_id(), "sam");
  EXPECT_EQ(note->client_id(), kJo);
  EXPECT_EQ(note->etag(), "v1");
  EXPECT_FALSE(note->has_signature());
  EXPECT_EQ(last_resource_, "clients/" + std::string(kJo) + "/notes/" + note->id());
  // What create returns is what a read returns (times in whole microseconds).
  absl::StatusOr<v1::Note> read = Get(sam_, note->id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*note, *read))
      << note->DebugString() << read->DebugString();
  EXPECT_EQ(read->session().start_time().nanos() % 1000, 0);
  EXPECT_EQ(read->soap().plan(), std::string(kSecret) + "plan");
}

TEST_F(NoteServiceTest, NoteTextIsStoredSealedOnly) {
  absl::StatusOr<v1::Note> note = Create(sam_, SessionNote());
  ASSERT_TRUE(note.ok());
  ASSERT_TRUE(AddAddendum(sam_, *Sign(sam_, *note), std::string(kSecret) + "addendum").ok());
  const NoteRecord& row = Stored(note->id());
  EXPECT_FALSE(row.content_sealed.empty());
  EXPECT_FALSE(row.patient_summary_sealed.empty());
  EXPECT_THAT(row.content_sealed, Not(HasSubstr(kSecret)));
  EXPECT_THAT(row.patient_summary_sealed, Not(HasSubstr(kSecret)));
  for (const auto& [id, addendum] : uow_.state().note_addenda) {
    EXPECT_THAT(addendum.text_sealed, Not(HasSubstr(kSecret)));
  }
}

TEST_F(NoteServiceTest, ANoteWithoutABodyIsFreeText) {
  v1::Note note = SessionNote();
  note.clear_soap();
  absl::StatusOr<v1::Note> created = Create(sam_, note);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->has_free_text());
}

TEST_F(NoteServiceTest, OnlyCliniciansWriteNotes) {
  for (const Principal* who : {&admin_, &patient_}) {
    absl::StatusOr<v1::Note> note = Create(*who, SessionNote());
    EXPECT_EQ(note.status().code(), absl::StatusCode::kPermissionDenied) << who->user_id;
  }
  EXPECT_TRUE(uow_.state().notes.empty());
}

TEST_F(NoteServiceTest, OutputOnlyFieldsOfTheRequestAreIgnored) {
  v1::Note note = SessionNote();
  note.set_state(v1::NOTE_STATE_SIGNED);
  note.set_author_user_id("alex");
  note.mutable_signature()->set_content_hash(std::string(64, 'a'));
  note.add_reader_user_ids("alex");
  absl::StatusOr<v1::Note> created = Create(sam_, note);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::NOTE_STATE_DRAFT);
  EXPECT_EQ(created->author_user_id(), "sam");
  EXPECT_FALSE(created->has_signature());
  EXPECT_THAT(created->reader_user_ids(), IsEmpty());
}

// A newer client's (or smuggled) fields are never stored, so they can never be shown or
// signed.
TEST_F(NoteServiceTest, UnknownFieldsAreNeverStored) {
  v1::Note note = SessionNote();
  UnknownOf(note.mutable_soap()).AddVarint(99, 1);
  UnknownOf(note.mutable_pelvic_floor_findings()).AddLengthDelimited(98, "smuggled");
  absl::StatusOr<v1::Note> created = Create(sam_, note);
  ASSERT_TRUE(created.ok()) << created.status();
  const NoteRecord& row = Stored(created->id());
  absl::StatusOr<std::string> content = cipher_.Open(
      uow_, kClinic, kJo, FieldLocation{"notes", "content", row.id}, row.content_sealed);
  ASSERT_TRUE(content.ok()) << content.status();
  v1::Note stored;
  ASSERT_TRUE(stored.ParseFromString(*content));
  EXPECT_FALSE(HasUnknownFields(stored.soap()));
  EXPECT_FALSE(HasUnknownFields(stored.pelvic_floor_findings()));
  EXPECT_FALSE(stored.has_session());  // The session's facts are plain columns.
}

TEST_F(NoteServiceTest, ContentIsValidatedWithTheFieldNamed) {
  v1::Note note = SessionNote();
  note.mutable_session()->set_duration_minutes(0);
  EXPECT_THAT(ViolatedFields(Create(sam_, note).status()),
              ElementsAre("note.session.duration_minutes"));
  v1::Note psychotherapy = PsychotherapyNote();
  psychotherapy.mutable_patient_summary()->set_summary("hi");
  EXPECT_THAT(ViolatedFields(Create(sam_, psychotherapy).status()),
              ElementsAre("note.patient_summary"));
  EXPECT_TRUE(uow_.state().notes.empty());
}

TEST_F(NoteServiceTest, InternalExaminationNeedsTheConsent) {
  absl::StatusOr<v1::Note> refused = Create(sam_, SessionNote(), kMax);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("internal"));
  EXPECT_TRUE(uow_.state().notes.empty());

  v1::Note external = SessionNote();
  external.mutable_pelvic_floor_findings()->set_examination(v1::PELVIC_EXAMINATION_EXTERNAL);
  absl::StatusOr<v1::Note> draft = Create(sam_, external, kMax);
  ASSERT_TRUE(draft.ok()) << draft.status();
  v1::Note change = *draft;
  change.mutable_pelvic_floor_findings()->set_examination(v1::PELVIC_EXAMINATION_INTERNAL);
  EXPECT_EQ(Update(sam_, change, {"pelvic_floor_findings.examination"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Jo's consent is in force.
  EXPECT_TRUE(Create(sam_, SessionNote(), kJo).ok());
}

TEST_F(NoteServiceTest, SigningRechecksTheConsent) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  uow_.state().consents.at("consent-1").state = v1::CONSENT_STATE_WITHDRAWN;
  uow_.state().consents.at("consent-1").end_time = kStart;
  EXPECT_EQ(Sign(sam_, *draft).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stored(draft->id()).state, v1::NOTE_STATE_DRAFT);
}

TEST_F(NoteServiceTest, ArchivedClientsTakeNoNotes) {
  absl::StatusOr<v1::Note> note = Create(sam_, PsychotherapyNote(), kRiley);
  EXPECT_EQ(note.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(note.status().message(), HasSubstr("archived"));
}

TEST_F(NoteServiceTest, ARetriedCreateReturnsTheFirstNote) {
  absl::StatusOr<v1::Note> first = Create(sam_, SessionNote(), kJo, "retry-1");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Note> again = Create(sam_, SessionNote(), kJo, "retry-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id(), first->id());
  EXPECT_THAT(uow_.state().notes, SizeIs(1));
  // Someone else's request id reveals nothing of the note it made.
  EXPECT_EQ(Create(alex_, SessionNote(), kJo, "retry-1").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Create(sam_, SessionNote(), kMax, "retry-1").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(NoteServiceTest, ADraftIsItsAuthorsAlone) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  for (const Principal* other : {&alex_, &admin_, &casey_}) {
    EXPECT_EQ(Get(*other, draft->id()).status().code(), absl::StatusCode::kNotFound)
        << other->user_id;
    EXPECT_THAT(ListedIds(*other), IsEmpty()) << other->user_id;
  }
  v1::Note change = *draft;
  change.mutable_soap()->set_plan("x");
  EXPECT_EQ(Update(alex_, change, {"soap.plan"}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Sign(alex_, *draft).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Discard(alex_, *draft).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ListedIds(sam_), ElementsAre(draft->id()));
}

TEST_F(NoteServiceTest, UpdateChangesOnlyTheMaskedFields) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  v1::Note change;
  change.set_id(draft->id());
  change.set_client_id(kJo);
  change.set_etag(draft->etag());
  change.mutable_soap()->set_plan(std::string(kSecret) + "new plan");
  change.mutable_session()->set_duration_minutes(30);
  change.set_kind(v1::NOTE_KIND_PSYCHOTHERAPY);  // Not maskable, and ignored.
  absl::StatusOr<v1::Note> updated =
      Update(sam_, change, {"soap.plan", "session.duration_minutes"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "v2");
  EXPECT_EQ(updated->kind(), v1::NOTE_KIND_SESSION);
  EXPECT_EQ(updated->soap().plan(), std::string(kSecret) + "new plan");
  EXPECT_EQ(updated->soap().subjective(), std::string(kSecret) + "subjective");
  EXPECT_EQ(updated->session().duration_minutes(), 30);
  EXPECT_EQ(updated->session().type(), v1::SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY);
  EXPECT_TRUE(updated->has_patient_summary());
  absl::StatusOr<v1::Note> read = Get(sam_, draft->id());
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*updated, *read));

  // Switching the format: the masked body replaces the old one.
  v1::Note to_dap = *updated;
  to_dap.mutable_dap()->set_data("d");
  absl::StatusOr<v1::Note> dap = Update(sam_, to_dap, {"dap"});
  ASSERT_TRUE(dap.ok()) << dap.status();
  EXPECT_TRUE(dap->has_dap());
  EXPECT_FALSE(dap->has_soap());
  // Clearing the summary.
  v1::Note no_summary = *dap;
  no_summary.clear_patient_summary();
  absl::StatusOr<v1::Note> cleared = Update(sam_, no_summary, {"patient_summary"});
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(cleared->has_patient_summary());
  EXPECT_TRUE(Stored(draft->id()).patient_summary_sealed.empty());
}

TEST_F(NoteServiceTest, AStaleEtagIsAborted) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  v1::Note first = *draft;
  first.mutable_soap()->set_plan("first tab");
  ASSERT_TRUE(Update(sam_, first, {"soap.plan"}).ok());
  v1::Note second = *draft;  // Still v1.
  second.mutable_soap()->set_plan("second tab");
  EXPECT_EQ(Update(sam_, second, {"soap.plan"}).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Sign(sam_, *draft).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Discard(sam_, *draft).status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(Get(sam_, draft->id())->soap().plan(), "first tab");
}

TEST_F(NoteServiceTest, AChangeLandingMeanwhileIsAborted) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  racing_.before_seal_ = [&] { ++uow_.state().notes.at(draft->id()).version; };
  v1::Note change = *draft;
  change.mutable_soap()->set_plan("x");
  absl::StatusOr<v1::Note> updated = Update(sam_, change, {"soap.plan"});
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(updated.status().message(), HasSubstr("reload and retry"));
}

TEST_F(NoteServiceTest, SigningLocksTheContentUnderItsHash) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  absl::StatusOr<v1::Note> signed_note = Sign(sam_, *draft);
  ASSERT_TRUE(signed_note.ok()) << signed_note.status();
  EXPECT_EQ(signed_note->state(), v1::NOTE_STATE_SIGNED);
  EXPECT_EQ(signed_note->signature().user_id(), "sam");
  EXPECT_EQ(FromTimestamp(signed_note->signature().time()), kStart + absl::Seconds(1));
  const std::string& hash = signed_note->signature().content_hash();
  EXPECT_THAT(hash, SizeIs(64));
  EXPECT_EQ(hash, Stored(draft->id()).content_hash);
  // The hash is SHA-256 of the canonical form of exactly what was written.
  EXPECT_EQ(hash, digests_.Digest(NoteCanonicalForm(*draft)));
  EXPECT_TRUE(SameContent(*signed_note, *draft));
}

TEST_F(NoteServiceTest, SignedContentNeverChanges) {
  v1::Note signed_note = SignedNote();
  const NoteRecord before = Stored(signed_note.id());
  const std::string hash = signed_note.signature().content_hash();

  v1::Note change = signed_note;
  change.mutable_soap()->set_plan("overwrite");
  absl::StatusOr<v1::Note> updated = Update(sam_, change, {"soap.plan"});
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(updated.status().message(), HasSubstr("add an addendum"));
  EXPECT_EQ(Update(alex_, change, {"soap"}).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Update(admin_, change, {"soap"}).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Sign(sam_, signed_note).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Discard(sam_, signed_note).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(AddAddendum(sam_, signed_note, "Correction: dilator size 3").ok());
  ASSERT_TRUE(AddAddendum(alex_, signed_note, "Seen at review").ok());

  const NoteRecord& after = Stored(signed_note.id());
  EXPECT_EQ(after.content_sealed, before.content_sealed);
  EXPECT_EQ(after.patient_summary_sealed, before.patient_summary_sealed);
  EXPECT_EQ(after.content_hash, hash);
  EXPECT_EQ(after.session_start_time, before.session_start_time);
  absl::StatusOr<v1::Note> read = Get(alex_, signed_note.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(SameContent(*read, signed_note));
  EXPECT_EQ(digests_.Digest(NoteCanonicalForm(*read)), hash);
  EXPECT_THAT(read->addenda(), SizeIs(2));
}

TEST_F(NoteServiceTest, CosignerMustBeAnotherClinicianOfTheCareTeam) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  for (const char* bad : {"sam", "casey", "ada", "nobody"}) {
    absl::StatusOr<v1::Note> refused = Sign(sam_, *draft, bad);
    EXPECT_THAT(ViolatedFields(refused.status()), ElementsAre("cosigner_user_id")) << bad;
  }
  EXPECT_EQ(Stored(draft->id()).state, v1::NOTE_STATE_DRAFT);
  absl::StatusOr<v1::Note> signed_note = Sign(sam_, *draft, "alex");
  ASSERT_TRUE(signed_note.ok()) << signed_note.status();
  EXPECT_EQ(signed_note->cosigner_user_id(), "alex");
  EXPECT_FALSE(signed_note->has_cosignature());
}

TEST_F(NoteServiceTest, OnlyTheNamedCosignerCosignsOnceTheHashShown) {
  v1::Note note = SignedNote(SessionNote(), "alex");
  const std::string hash = note.signature().content_hash();
  EXPECT_EQ(Cosign(sam_, note, hash).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Cosign(admin_, note, hash).status().code(), absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Note> wrong = Cosign(alex_, note, std::string(64, '0'));
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.status().message(), HasSubstr("content_hash"));

  absl::StatusOr<v1::Note> cosigned = Cosign(alex_, note, hash);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status();
  EXPECT_EQ(cosigned->cosignature().user_id(), "alex");
  EXPECT_EQ(cosigned->cosignature().content_hash(), hash);
  EXPECT_EQ(Cosign(alex_, note, hash).status().code(), absl::StatusCode::kFailedPrecondition);

  v1::Note unasked = SignedNote();
  EXPECT_EQ(Cosign(alex_, unasked, unasked.signature().content_hash()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(NoteServiceTest, DiscardingADraftKeepsOnlyWhoAndWhen) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  absl::StatusOr<v1::Note> discarded = Discard(sam_, *draft);
  ASSERT_TRUE(discarded.ok()) << discarded.status();
  EXPECT_EQ(discarded->state(), v1::NOTE_STATE_DISCARDED);
  EXPECT_EQ(discarded->discarded_by_user_id(), "sam");
  EXPECT_TRUE(discarded->has_discard_time());
  EXPECT_FALSE(discarded->has_soap());
  EXPECT_FALSE(discarded->has_patient_summary());
  EXPECT_TRUE(Stored(draft->id()).content_sealed.empty());
  EXPECT_THAT(ListedIds(sam_), IsEmpty());
  EXPECT_THAT(ListedIds(sam_, true), ElementsAre(draft->id()));
  EXPECT_THAT(ListedIds(alex_, true), IsEmpty());
  EXPECT_EQ(Get(alex_, draft->id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Discard(sam_, *discarded).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Sign(sam_, *discarded).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(NoteServiceTest, AddendaAreSignedAndLinkedToTheNote) {
  absl::StatusOr<v1::Note> draft = Create(sam_, SessionNote());
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(AddAddendum(sam_, *draft, "too early").status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Note note = *Sign(sam_, *draft);
  absl::StatusOr<v1::Note> amended = AddAddendum(alex_, note, "Later: pain resolved");
  ASSERT_TRUE(amended.ok()) << amended.status();
  ASSERT_THAT(amended->addenda(), SizeIs(1));
  const v1::Addendum& addendum = amended->addenda(0);
  EXPECT_EQ(addendum.text(), "Later: pain resolved");
  EXPECT_EQ(addendum.signature().user_id(), "alex");
  EXPECT_EQ(addendum.signature().content_hash(),
            digests_.Digest(AddendumCanonicalForm(note.id(), addendum.id(), "alex",
                                                  FromTimestamp(addendum.signature().time()),
                                                  "Later: pain resolved")));
  EXPECT_EQ(uow_.state().note_addenda.at(addendum.id()).note_id, note.id());
  EXPECT_EQ(AddAddendum(admin_, note, "admin").status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(NoteServiceTest, ARetriedAddendumIsAddedOnce) {
  v1::Note note = SignedNote();
  absl::StatusOr<v1::Note> first = AddAddendum(sam_, note, "once", "add-1");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Note> again = AddAddendum(sam_, note, "once", "add-1");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_THAT(again->addenda(), SizeIs(1));
  EXPECT_THAT(uow_.state().note_addenda, SizeIs(1));
  // The same request id for another note, or by someone else, is another request.
  v1::Note other = SignedNote();
  EXPECT_EQ(AddAddendum(sam_, other, "once", "add-1").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(AddAddendum(alex_, note, "once", "add-1").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(NoteServiceTest, APsychotherapyNoteIsSeenByItsAuthorAndReadersOnly) {
  v1::Note note = SignedNote(PsychotherapyNote());
  for (const Principal* other : {&alex_, &admin_, &casey_}) {
    EXPECT_EQ(Get(*other, note.id()).status().code(), absl::StatusCode::kNotFound)
        << other->user_id;
    EXPECT_THAT(ListedIds(*other), IsEmpty()) << other->user_id;
    EXPECT_EQ(AddAddendum(*other, note, "x").status().code(), absl::StatusCode::kNotFound);
  }
  EXPECT_THAT(ListedIds(sam_), ElementsAre(note.id()));

  absl::StatusOr<v1::Note> shared = Share(sam_, note, {"alex"});
  ASSERT_TRUE(shared.ok()) << shared.status();
  EXPECT_THAT(shared->reader_user_ids(), ElementsAre("alex"));
  EXPECT_TRUE(Get(alex_, note.id()).ok());
  EXPECT_THAT(ListedIds(alex_), ElementsAre(note.id()));
  EXPECT_EQ(Get(admin_, note.id()).status().code(), absl::StatusCode::kNotFound);
  // A reader reads; the author alone amends and shares.
  EXPECT_EQ(AddAddendum(alex_, note, "x").status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Share(alex_, note, {}).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(AddAddendum(sam_, note, "mine").ok());

  ASSERT_TRUE(Share(sam_, note, {}).ok());
  EXPECT_EQ(Get(alex_, note.id()).status().code(), absl::StatusCode::kNotFound);
}

// A psychotherapy note is shared with clinicians of the care team. A reader who leaves the team
// and reaches the client again by break-glass (the policy lets her in) must not read it.
TEST_F(NoteServiceTest, AReaderWhoLeftTheCareTeamNoLongerReads) {
  v1::Note note = SignedNote(PsychotherapyNote());
  ASSERT_TRUE(Share(sam_, note, {"alex"}).ok());
  ASSERT_TRUE(Get(alex_, note.id()).ok());
  auto* team = uow_.state().clients.at(kJo).client.mutable_care_team();
  team->erase(std::remove_if(team->begin(), team->end(),
                             [](const v1::CareTeamMember& m) { return m.user_id() == "alex"; }),
              team->end());
  EXPECT_EQ(Get(alex_, note.id()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ListedIds(alex_), IsEmpty());
  EXPECT_EQ(AddAddendum(alex_, note, "x").status().code(), absl::StatusCode::kNotFound);
  // The author still reads her own note.
  EXPECT_TRUE(Get(sam_, note.id()).ok());
}

TEST_F(NoteServiceTest, ReadersAreOtherCliniciansOfTheCareTeam) {
  v1::Note note = SignedNote(PsychotherapyNote());
  absl::StatusOr<v1::Note> refused = Share(sam_, note, {"alex", "casey", "sam", "ada"});
  EXPECT_THAT(ViolatedFields(refused.status()),
              ElementsAre("reader_user_ids[1]", "reader_user_ids[2]", "reader_user_ids[3]"));
  EXPECT_THAT(Stored(note.id()).reader_user_ids, IsEmpty());
}

TEST_F(NoteServiceTest, OnlyPsychotherapyNotesAreSharedAndOnlyOnceSigned) {
  v1::Note session = SignedNote();
  absl::StatusOr<v1::Note> refused = Share(sam_, session, {"alex"});
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("session note"));
  absl::StatusOr<v1::Note> draft = Create(sam_, PsychotherapyNote());
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(Share(sam_, *draft, {"alex"}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(NoteServiceTest, TheCosignerOfAPsychotherapyNoteReadsIt) {
  v1::Note note = SignedNote(PsychotherapyNote(), "alex");
  EXPECT_THAT(note.reader_user_ids(), ElementsAre("alex"));
  // Un-sharing keeps the pending co-signer.
  ASSERT_TRUE(Share(sam_, note, {}).ok());
  absl::StatusOr<v1::Note> seen = Get(alex_, note.id());
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_TRUE(Cosign(alex_, *seen, seen->signature().content_hash()).ok());
  EXPECT_EQ(Get(admin_, note.id()).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(NoteServiceTest, AdminsOnTheCareTeamReadSignedSessionNotes) {
  v1::Note note = SignedNote();
  absl::StatusOr<v1::Note> read = Get(admin_, note.id());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(SameContent(*read, note));
  EXPECT_THAT(ListedIds(admin_), ElementsAre(note.id()));
  EXPECT_THAT(ListedIds(casey_), ElementsAre(note.id()));  // Break-glass.
}

TEST_F(NoteServiceTest, ThePatientReadsSummariesOfSignedSessionNotesOnly) {
  v1::Note signed_note = SignedNote();
  ASSERT_TRUE(Create(sam_, SessionNote()).ok());  // A draft.
  SignedNote(PsychotherapyNote());
  v1::Note no_summary = SessionNote();
  no_summary.clear_patient_summary();
  SignedNote(no_summary);

  absl::StatusOr<v1::ListSessionSummariesResponse> summaries = Summaries(patient_);
  ASSERT_TRUE(summaries.ok()) << summaries.status();
  ASSERT_THAT(summaries->summaries(), SizeIs(1));
  const v1::PatientSessionSummary& summary = summaries->summaries(0);
  EXPECT_EQ(summary.note_id(), signed_note.id());
  EXPECT_EQ(summary.clinician_user_id(), "sam");
  EXPECT_EQ(summary.session_type(), v1::SESSION_TYPE_PELVIC_FLOOR_PHYSIOTHERAPY);
  EXPECT_EQ(summary.modality(), v1::SESSION_MODALITY_IN_PERSON);
  EXPECT_TRUE(
      MessageDifferencer::Equals(summary.session_start_time(), signed_note.session().start_time()));
  EXPECT_TRUE(MessageDifferencer::Equals(summary.summary(), signed_note.patient_summary()));
  // Nothing of the note itself.
  EXPECT_THAT(summaries->DebugString(), Not(HasSubstr("subjective")));
  EXPECT_EQ(last_resource_, "clients/" + std::string(kJo) + "/sessionSummaries");
}

TEST_F(NoteServiceTest, ListsPageNewestSessionFirst) {
  std::vector<std::string> ids;
  for (int hours : {5, 1, 3}) {
    v1::Note note = SessionNote();
    *note.mutable_session()->mutable_start_time() = ToTimestamp(kStart - absl::Hours(hours));
    ids.push_back(SignedNote(note).id());
  }
  absl::StatusOr<v1::ListNotesResponse> first = List(alex_, false, 2);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_THAT(first->notes(), SizeIs(2));
  EXPECT_EQ(first->notes(0).id(), ids[1]);
  EXPECT_EQ(first->notes(1).id(), ids[2]);
  ASSERT_FALSE(first->next_page_token().empty());
  absl::StatusOr<v1::ListNotesResponse> second = List(alex_, false, 2, first->next_page_token());
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_THAT(second->notes(), SizeIs(1));
  EXPECT_EQ(second->notes(0).id(), ids[0]);
  EXPECT_TRUE(second->next_page_token().empty());
  EXPECT_EQ(List(alex_, false, 2, "garbage").status().code(), absl::StatusCode::kInvalidArgument);
}

// A page token names the note the previous page ended with, and the list resumes after that
// note's session. A token crafted with the id of a note the caller may not see must not
// resume after it: what follows would tell when that hidden session was, and that it exists.
TEST_F(NoteServiceTest, PageTokensNamingHiddenNotesEndTheList) {
  for (int hours : {9, 7}) {
    v1::Note note = SessionNote();
    *note.mutable_session()->mutable_start_time() = ToTimestamp(kStart - absl::Hours(hours));
    SignedNote(note);
  }
  v1::Note hidden_psychotherapy = SignedNote(PsychotherapyNote());
  v1::Note later = SessionNote();
  *later.mutable_session()->mutable_start_time() = ToTimestamp(kStart - absl::Hours(2));
  absl::StatusOr<v1::Note> draft = Create(sam_, later);
  ASSERT_TRUE(draft.ok()) << draft.status();
  const std::string nobody = "00000000-0000-7000-8000-0000000000ff";

  for (const std::string& id : {hidden_psychotherapy.id(), draft->id(), nobody}) {
    absl::StatusOr<v1::ListNotesResponse> notes =
        List(alex_, false, 10, EncodePageToken("notes", id));
    ASSERT_TRUE(notes.ok()) << notes.status();
    EXPECT_THAT(notes->notes(), IsEmpty()) << id;
    EXPECT_TRUE(notes->next_page_token().empty()) << id;

    v1::ListSessionSummariesRequest request;
    request.set_client_id(kJo);
    request.set_page_token(EncodePageToken("sessionSummaries", id));
    for (const Principal& who : {patient_, alex_}) {
      absl::StatusOr<v1::ListSessionSummariesResponse> summaries =
          As(who, kJo, [&](RequestScope& s) { return service_.ListSummaries(request, s); });
      ASSERT_TRUE(summaries.ok()) << summaries.status();
      EXPECT_THAT(summaries->summaries(), IsEmpty()) << id;
    }
  }
  // The author may resume after her own notes.
  absl::StatusOr<v1::ListNotesResponse> own =
      List(sam_, false, 10, EncodePageToken("notes", hidden_psychotherapy.id()));
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_THAT(own->notes(), SizeIs(3));
}

TEST_F(NoteServiceTest, ChangedSignedContentIsDataLoss) {
  v1::Note note = SignedNote();
  // Sealed for this note, but not what was signed: a draft's content written over the row.
  v1::Note other = SessionNote();
  other.mutable_soap()->set_plan("different");
  absl::StatusOr<v1::Note> draft = Create(sam_, other);
  ASSERT_TRUE(draft.ok());
  NoteRecord& row = uow_.state().notes.at(note.id());
  const NoteRecord original = row;

  row.content_hash = std::string(64, '0');
  EXPECT_EQ(Get(sam_, note.id()).status().code(), absl::StatusCode::kDataLoss);
  row = original;
  EXPECT_TRUE(Get(sam_, note.id()).ok());

  // Another note's ciphertext copied to this row does not open here.
  row.content_sealed = Stored(draft->id()).content_sealed;
  absl::StatusOr<v1::Note> copied = Get(sam_, note.id());
  EXPECT_EQ(copied.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(List(sam_).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(AddAddendum(sam_, note, "x").status().code(), absl::StatusCode::kDataLoss);
  row = original;

  // A changed session fact changes the hash too.
  row.duration_minutes = 45;
  EXPECT_EQ(Get(sam_, note.id()).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Summaries(patient_).status().code(), absl::StatusCode::kDataLoss);
  row = original;

  // An addendum's text is verified as well.
  ASSERT_TRUE(AddAddendum(sam_, note, "first").ok());
  ASSERT_TRUE(AddAddendum(sam_, note, "second").ok());
  std::vector<std::string> addenda;
  for (const auto& [id, addendum] : uow_.state().note_addenda) {
    addenda.push_back(id);
  }
  uow_.state().note_addenda.at(addenda[0]).content_hash = std::string(64, '0');
  EXPECT_EQ(Get(sam_, note.id()).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(NoteServiceTest, AnAddendumsCiphertextDoesNotOpenForAnother) {
  v1::Note note = SignedNote();
  ASSERT_TRUE(AddAddendum(sam_, note, "first").ok());
  ASSERT_TRUE(AddAddendum(sam_, note, "second").ok());
  std::vector<AddendumRecord*> rows;
  for (auto& [id, addendum] : uow_.state().note_addenda) {
    rows.push_back(&addendum);
  }
  rows[1]->text_sealed = rows[0]->text_sealed;
  EXPECT_EQ(Get(sam_, note.id()).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(NoteServiceTest, MessagesNeverHoldNoteText) {
  // A tour of refusals, each with note text in the request.
  v1::Note note = SignedNote();
  v1::Note change = note;
  change.mutable_soap()->set_plan(std::string(kSecret) + "overwrite");
  Update(sam_, change, {"soap.plan"}).IgnoreError();
  v1::Note too_long = SessionNote();
  too_long.mutable_soap()->set_plan(std::string(kSecret) + std::string(20'001, 'x'));
  Create(sam_, too_long).IgnoreError();
  v1::Note bad_utf8 = SessionNote();
  bad_utf8.mutable_soap()->set_plan(std::string(kSecret) + "\xff");
  Create(sam_, bad_utf8).IgnoreError();
  Create(sam_, SessionNote(), kMax).IgnoreError();
  Create(admin_, SessionNote()).IgnoreError();
  AddAddendum(admin_, note, std::string(kSecret) + "addendum").IgnoreError();
  Cosign(alex_, note, std::string(64, '1')).IgnoreError();
  Share(sam_, note, {"alex"}).IgnoreError();
  uow_.state().notes.at(note.id()).content_hash = std::string(64, '0');
  Get(sam_, note.id()).IgnoreError();

  ASSERT_GE(errors_.size(), 9u);
  for (const absl::Status& error : errors_) {
    EXPECT_THAT(std::string(error.message()), Not(HasSubstr(kSecret))) << error;
    error.ForEachPayload([&](absl::string_view, const absl::Cord& payload) {
      EXPECT_THAT(std::string(payload), Not(HasSubstr(kSecret))) << error;
    });
  }
}

TEST_F(NoteServiceTest, AuditResourcesNameIdsOnly) {
  v1::Note note = SignedNote();
  const std::string resource = "clients/" + std::string(kJo) + "/notes/" + note.id();
  ASSERT_TRUE(Get(alex_, note.id()).ok());
  EXPECT_EQ(last_resource_, resource);
  ASSERT_TRUE(AddAddendum(alex_, note, std::string(kSecret) + "x").ok());
  EXPECT_EQ(last_resource_, resource);
  Update(alex_, note, {"soap"}).IgnoreError();
  EXPECT_EQ(last_resource_, resource);
  ASSERT_TRUE(List(alex_).ok());
  EXPECT_EQ(last_resource_, "clients/" + std::string(kJo) + "/notes");
}

TEST_F(NoteServiceTest, UnknownNoteIdsAreNotFound) {
  for (const char* id : {"not-a-uuid", "00000000-0000-7000-8000-0000000000ff"}) {
    EXPECT_EQ(Get(sam_, id).status().code(), absl::StatusCode::kNotFound);
  }
  // Jo's note is not Max's.
  v1::Note note = SignedNote();
  EXPECT_EQ(Get(sam_, note.id(), kMax).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace confide
