// Session notes, their readers and addenda against a real database (SQLite or PostgreSQL,
// whichever CONFIDE_TEST_DATABASE names): every field round-trips, the conditional updates
// change nothing unless their condition holds, lists page in (session time, id) order with the
// psychotherapy and state filters done in SQL, request ids are unique per clinic, and the
// database itself refuses to change or delete a signed note or an addendum.

#include "services/notes/ports/note_repository.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "soci/soci.h"
#include "tests/persistence/migrated_database_test.h"

namespace confide::persistence {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kJo[] = "00000000-0000-7000-8000-000000008001";
constexpr char kRiley[] = "00000000-0000-7000-8000-000000008002";
constexpr char kCasey[] = "00000000-0000-7000-8000-000000008003";  // clinic B

// v1::NoteKind and v1::NoteState values.
constexpr int kSession = 1;
constexpr int kPsychotherapy = 2;
constexpr int kDraft = 1;
constexpr int kSigned = 2;
constexpr int kDiscarded = 3;

std::string NoteId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 8100 + n); }
std::string AddendumId(int n) { return absl::StrFormat("00000000-0000-7000-8000-%012d", 8200 + n); }

// A draft session note by Alice for Jo, its session `n` hours after kCreateTime.
NoteRecord NewNote(int n, const std::string& client_id = kJo,
                   const std::string& clinic_id = kClinicA) {
  return NoteRecord{.id = NoteId(n),
                    .clinic_id = clinic_id,
                    .client_id = client_id,
                    .kind = kSession,
                    .state = kDraft,
                    .author_user_id = clinic_id == kClinicA ? kAlice : kCai,
                    .session_start_time = kCreateTime + absl::Hours(n),
                    .duration_minutes = 50,
                    .modality = 1,
                    .session_type = 2,
                    .content_sealed = absl::StrFormat("sealed:content:%d", n),
                    .patient_summary_sealed = absl::StrFormat("sealed:summary:%d", n),
                    .version = 1,
                    .create_time = kCreateTime + absl::Microseconds(n),
                    .update_time = kCreateTime + absl::Microseconds(n)};
}

AddendumRecord NewAddendum(int n, const std::string& note_id, absl::Time create_time) {
  return AddendumRecord{.id = AddendumId(n),
                        .note_id = note_id,
                        .clinic_id = kClinicA,
                        .client_id = kJo,
                        .author_user_id = kBea,
                        .create_time = create_time,
                        .text_sealed = absl::StrFormat("sealed:addendum:%d", n),
                        .content_hash = absl::StrFormat("%064d", n)};
}

std::vector<std::string> IdsOf(const std::vector<NoteRecord>& notes) {
  std::vector<std::string> ids;
  for (const NoteRecord& note : notes) {
    ids.push_back(note.id);
  }
  return ids;
}

// What the database says when `statement` (with `id` bound when not empty) fails, or "" when
// it succeeds.
std::string FailureOf(soci::session& sql, const std::string& statement, const std::string& id) {
  try {
    if (id.empty()) {
      sql << statement;
    } else {
      sql << statement, soci::use(id);
    }
    return "";
  } catch (const soci::soci_error& e) {
    return e.what();
  }
}

class NoteRepositoryTest : public MigratedDatabaseTest {
 protected:
  void SetUp() override {
    MigratedDatabaseTest::SetUp();
    if (HasFatalFailure()) {
      return;
    }
    absl::Status seeded = InsertClients(
        {NewClient(kJo, kClinicA), NewClient(kRiley, kClinicA), NewClient(kCasey, kClinicB)});
    ASSERT_TRUE(seeded.ok()) << seeded;
  }

  absl::Status Insert(const NoteRecord& note, const std::string& request_id = "") {
    return Write([&](UnitOfWork& uow) { return uow.notes().Insert(note, request_id); });
  }

  std::optional<NoteRecord> Find(const std::string& note_id, const std::string& client_id = kJo,
                                 const std::string& clinic_id = kClinicA) {
    absl::StatusOr<std::optional<NoteRecord>> found =
        Read([&](UnitOfWork& uow) { return uow.notes().Find(clinic_id, client_id, note_id); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  std::vector<NoteRecord> List(const NoteListQuery& query) {
    absl::StatusOr<std::vector<NoteRecord>> notes =
        Read([&](UnitOfWork& uow) { return uow.notes().List(query); });
    EXPECT_TRUE(notes.ok()) << notes.status();
    return notes.ok() ? *notes : std::vector<NoteRecord>();
  }

  // Jo's notes as `viewer` sees them, with `limit` a page.
  static NoteListQuery JoNotes(const std::string& viewer = kAlice, int limit = 50) {
    return NoteListQuery{
        .clinic_id = kClinicA, .client_id = kJo, .viewer_user_id = viewer, .limit = limit};
  }

  bool Succeeded(absl::FunctionRef<absl::StatusOr<bool>(NoteRepository&)> change) {
    absl::StatusOr<bool> changed =
        WriteReturning([&](UnitOfWork& uow) { return change(uow.notes()); });
    EXPECT_TRUE(changed.ok()) << changed.status();
    return changed.ok() && *changed;
  }

  // Signs `draft` as its author, with `cosigner` (when not empty) asked to co-sign.
  NoteRecord SignNote(const NoteRecord& draft, const std::string& cosigner = "") {
    NoteRecord signed_note = draft;
    signed_note.signed_by_user_id = draft.author_user_id;
    signed_note.sign_time = draft.create_time + absl::Minutes(90) + absl::Microseconds(3);
    signed_note.content_hash = std::string(64, 'a');
    signed_note.cosigner_user_id = cosigner;
    EXPECT_TRUE(
        Succeeded([&](NoteRepository& notes) { return notes.Sign(signed_note, draft.version); }));
    return signed_note;
  }
};

TEST_F(NoteRepositoryTest, NoteRoundTripsEveryField) {
  NoteRecord note = NewNote(1);
  note.kind = kPsychotherapy;
  note.state = kSigned;
  note.modality = 2;
  note.session_type = 3;
  note.version = 7;
  note.update_time = kCreateTime + absl::Hours(3) + absl::Microseconds(11);
  note.signed_by_user_id = kAlice;
  note.sign_time = kCreateTime + absl::Hours(2) + absl::Microseconds(5);
  note.content_hash = std::string(64, 'f');
  note.cosigner_user_id = kBea;
  note.cosign_time = kCreateTime + absl::Hours(4) + absl::Microseconds(9);
  note.discarded_by_user_id = kBea;
  note.discard_time = kCreateTime + absl::Hours(5) + absl::Microseconds(13);
  note.reader_user_ids = {kBea, kAlice, kBea};
  ASSERT_TRUE(Insert(note).ok());

  std::optional<NoteRecord> found = Find(note.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, note.id);
  EXPECT_EQ(found->clinic_id, kClinicA);
  EXPECT_EQ(found->client_id, kJo);
  EXPECT_EQ(found->kind, kPsychotherapy);
  EXPECT_EQ(found->state, kSigned);
  EXPECT_EQ(found->author_user_id, kAlice);
  EXPECT_EQ(found->session_start_time, note.session_start_time);
  EXPECT_EQ(found->duration_minutes, 50);
  EXPECT_EQ(found->modality, 2);
  EXPECT_EQ(found->session_type, 3);
  EXPECT_EQ(found->content_sealed, note.content_sealed);
  EXPECT_EQ(found->patient_summary_sealed, note.patient_summary_sealed);
  EXPECT_EQ(found->version, 7);
  EXPECT_EQ(found->create_time, note.create_time);
  EXPECT_EQ(found->update_time, note.update_time);
  EXPECT_EQ(found->signed_by_user_id, kAlice);
  EXPECT_EQ(found->sign_time, note.sign_time);
  EXPECT_EQ(found->content_hash, note.content_hash);
  EXPECT_EQ(found->cosigner_user_id, kBea);
  EXPECT_EQ(found->cosign_time, note.cosign_time);
  EXPECT_EQ(found->discarded_by_user_id, kBea);
  EXPECT_EQ(found->discard_time, note.discard_time);
  // Sorted, each reader once.
  EXPECT_THAT(found->reader_user_ids, ElementsAre(kAlice, kBea));
}

TEST_F(NoteRepositoryTest, UnsetOptionalFieldsRoundTripAsUnset) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());

  std::optional<NoteRecord> found = Find(NoteId(1));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, kDraft);
  EXPECT_EQ(found->signed_by_user_id, "");
  EXPECT_EQ(found->sign_time, std::nullopt);
  EXPECT_EQ(found->content_hash, "");
  EXPECT_EQ(found->cosigner_user_id, "");
  EXPECT_EQ(found->cosign_time, std::nullopt);
  EXPECT_EQ(found->discarded_by_user_id, "");
  EXPECT_EQ(found->discard_time, std::nullopt);
  EXPECT_THAT(found->reader_user_ids, IsEmpty());
}

TEST_F(NoteRepositoryTest, NoteIsFoundOnlyForItsClientAndClinic) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());

  EXPECT_TRUE(Find(NoteId(1)).has_value());
  EXPECT_EQ(Find(NoteId(1), kRiley), std::nullopt);
  EXPECT_EQ(Find(NoteId(1), kJo, kClinicB), std::nullopt);
  EXPECT_EQ(Find(NoteId(2)), std::nullopt);
}

TEST_F(NoteRepositoryTest, IdAndCreateRequestIdAreUniquePerClinic) {
  ASSERT_TRUE(Insert(NewNote(1), "req-1").ok());

  EXPECT_EQ(Insert(NewNote(1)).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Insert(NewNote(2), "req-1").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Find(NoteId(2)), std::nullopt);
  // Another clinic may use the same request id; empty request ids never collide.
  EXPECT_TRUE(Insert(NewNote(3, kCasey, kClinicB), "req-1").ok());
  EXPECT_TRUE(Insert(NewNote(4)).ok());
  EXPECT_TRUE(Insert(NewNote(5)).ok());

  absl::StatusOr<std::optional<NoteRecord>> first =
      Read([&](UnitOfWork& uow) { return uow.notes().FindByCreateRequestId(kClinicA, "req-1"); });
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->id, NoteId(1));
  EXPECT_EQ((*first)->content_sealed, NewNote(1).content_sealed);
  absl::StatusOr<std::optional<NoteRecord>> other =
      Read([&](UnitOfWork& uow) { return uow.notes().FindByCreateRequestId(kClinicB, "req-1"); });
  ASSERT_TRUE(other.ok()) << other.status();
  ASSERT_TRUE(other->has_value());
  EXPECT_EQ((*other)->id, NoteId(3));
  for (const char* request_id : {"", "req-2"}) {
    absl::StatusOr<std::optional<NoteRecord>> none = Read(
        [&](UnitOfWork& uow) { return uow.notes().FindByCreateRequestId(kClinicA, request_id); });
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_EQ(*none, std::nullopt) << request_id;
  }
}

TEST_F(NoteRepositoryTest, UpdateDraftChangesOnlyADraftAtTheExpectedVersion) {
  const NoteRecord draft = NewNote(1);
  ASSERT_TRUE(Insert(draft).ok());
  NoteRecord next = draft;
  next.session_start_time = draft.session_start_time + absl::Minutes(30) + absl::Microseconds(1);
  next.duration_minutes = 60;
  next.modality = 2;
  next.session_type = 4;
  next.content_sealed = "sealed:content:edited";
  next.patient_summary_sealed = "";
  next.update_time = draft.update_time + absl::Minutes(5);
  next.version = 2;
  // Not the draft's to change here.
  next.kind = kPsychotherapy;
  next.author_user_id = kBea;

  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.UpdateDraft(next, 2); }));
  NoteRecord elsewhere = next;
  elsewhere.client_id = kRiley;
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.UpdateDraft(elsewhere, 1); }));
  EXPECT_EQ(Find(draft.id)->content_sealed, draft.content_sealed);

  EXPECT_TRUE(Succeeded([&](NoteRepository& notes) { return notes.UpdateDraft(next, 1); }));
  std::optional<NoteRecord> found = Find(draft.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->session_start_time, next.session_start_time);
  EXPECT_EQ(found->duration_minutes, 60);
  EXPECT_EQ(found->modality, 2);
  EXPECT_EQ(found->session_type, 4);
  EXPECT_EQ(found->content_sealed, "sealed:content:edited");
  EXPECT_EQ(found->patient_summary_sealed, "");
  EXPECT_EQ(found->update_time, next.update_time);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->kind, kSession);
  EXPECT_EQ(found->author_user_id, kAlice);
  EXPECT_EQ(found->create_time, draft.create_time);

  // A stale version changes nothing.
  NoteRecord stale = next;
  stale.content_sealed = "sealed:content:stale";
  stale.version = 3;
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.UpdateDraft(stale, 1); }));
  EXPECT_EQ(Find(draft.id)->content_sealed, "sealed:content:edited");
}

TEST_F(NoteRepositoryTest, SignLocksADraftAtTheExpectedVersion) {
  const NoteRecord draft = NewNote(1);
  ASSERT_TRUE(Insert(draft).ok());
  NoteRecord signing = draft;
  signing.signed_by_user_id = kAlice;
  signing.sign_time = kCreateTime + absl::Hours(2) + absl::Microseconds(1);
  signing.content_hash = std::string(64, 'c');
  signing.cosigner_user_id = kBea;

  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.Sign(signing, 2); }));
  EXPECT_EQ(Find(draft.id)->state, kDraft);
  EXPECT_TRUE(Succeeded([&](NoteRepository& notes) { return notes.Sign(signing, 1); }));

  std::optional<NoteRecord> found = Find(draft.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, kSigned);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->signed_by_user_id, kAlice);
  EXPECT_EQ(found->sign_time, signing.sign_time);
  EXPECT_EQ(found->update_time, signing.sign_time);
  EXPECT_EQ(found->content_hash, signing.content_hash);
  EXPECT_EQ(found->cosigner_user_id, kBea);
  EXPECT_EQ(found->cosign_time, std::nullopt);
  EXPECT_EQ(found->content_sealed, draft.content_sealed);

  // Signed: no second signature, no edit, no discard.
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.Sign(signing, 2); }));
  NoteRecord edit = draft;
  edit.content_sealed = "sealed:content:late";
  edit.version = 3;
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.UpdateDraft(edit, 2); }));
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) {
    return notes.Discard(kClinicA, draft.id, 2, kAlice, kCreateTime + absl::Hours(3));
  }));
  found = Find(draft.id);
  EXPECT_EQ(found->state, kSigned);
  EXPECT_EQ(found->version, 2);
  EXPECT_EQ(found->content_sealed, draft.content_sealed);
}

TEST_F(NoteRepositoryTest, CosignHappensOnceAndOnlyWhenAskedFor) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  ASSERT_TRUE(Insert(NewNote(2)).ok());
  SignNote(NewNote(2));  // No co-signer asked for.
  const absl::Time when = kCreateTime + absl::Hours(6) + absl::Microseconds(17);

  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) {  // A draft.
    return notes.Cosign(kClinicA, NoteId(1), when);
  }));
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) {  // Nobody asked.
    return notes.Cosign(kClinicA, NoteId(2), when);
  }));

  SignNote(NewNote(1), kBea);
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) {  // Another clinic.
    return notes.Cosign(kClinicB, NoteId(1), when);
  }));
  EXPECT_TRUE(
      Succeeded([&](NoteRepository& notes) { return notes.Cosign(kClinicA, NoteId(1), when); }));
  std::optional<NoteRecord> found = Find(NoteId(1));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->cosign_time, when);
  EXPECT_EQ(found->update_time, when);
  EXPECT_EQ(found->version, 3);
  EXPECT_EQ(found->state, kSigned);

  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) {
    return notes.Cosign(kClinicA, NoteId(1), when + absl::Hours(1));
  }));
  found = Find(NoteId(1));
  EXPECT_EQ(found->cosign_time, when);
  EXPECT_EQ(found->version, 3);
}

TEST_F(NoteRepositoryTest, DiscardEmptiesADraftAtTheExpectedVersion) {
  const NoteRecord draft = NewNote(1);
  ASSERT_TRUE(Insert(draft).ok());
  const absl::Time when = kCreateTime + absl::Hours(1) + absl::Microseconds(21);

  EXPECT_FALSE(Succeeded(
      [&](NoteRepository& notes) { return notes.Discard(kClinicA, draft.id, 2, kAlice, when); }));
  EXPECT_FALSE(Succeeded(
      [&](NoteRepository& notes) { return notes.Discard(kClinicB, draft.id, 1, kAlice, when); }));
  EXPECT_EQ(Find(draft.id)->state, kDraft);

  EXPECT_TRUE(Succeeded(
      [&](NoteRepository& notes) { return notes.Discard(kClinicA, draft.id, 1, kAlice, when); }));
  std::optional<NoteRecord> found = Find(draft.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, kDiscarded);
  EXPECT_EQ(found->content_sealed, "");
  EXPECT_EQ(found->patient_summary_sealed, "");
  EXPECT_EQ(found->discarded_by_user_id, kAlice);
  EXPECT_EQ(found->discard_time, when);
  EXPECT_EQ(found->update_time, when);
  EXPECT_EQ(found->version, 2);

  // Discarded is final.
  EXPECT_FALSE(Succeeded(
      [&](NoteRepository& notes) { return notes.Discard(kClinicA, draft.id, 2, kAlice, when); }));
  NoteRecord revived = draft;
  revived.version = 3;
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.UpdateDraft(revived, 2); }));
  NoteRecord signing = draft;
  signing.sign_time = when;
  EXPECT_FALSE(Succeeded([&](NoteRepository& notes) { return notes.Sign(signing, 2); }));
  EXPECT_EQ(Find(draft.id)->state, kDiscarded);
}

TEST_F(NoteRepositoryTest, SetReadersReplacesTheReadersAndBumpsTheVersion) {
  NoteRecord note = NewNote(1);
  note.kind = kPsychotherapy;
  ASSERT_TRUE(Insert(note).ok());
  SignNote(note);  // Readers may change after signing.

  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.notes().SetReaders(kClinicA, note.id, {kBea, kAlice});
              }).ok());
  std::optional<NoteRecord> found = Find(note.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_THAT(found->reader_user_ids, ElementsAre(kAlice, kBea));
  EXPECT_EQ(found->version, 3);

  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.notes().SetReaders(kClinicA, note.id, {kBea});
              }).ok());
  EXPECT_THAT(Find(note.id)->reader_user_ids, ElementsAre(kBea));
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.notes().SetReaders(kClinicA, note.id, {}); }).ok());
  found = Find(note.id);
  EXPECT_THAT(found->reader_user_ids, IsEmpty());
  EXPECT_EQ(found->version, 5);
  EXPECT_EQ(found->state, kSigned);

  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.notes().SetReaders(kClinicB, note.id, {kCai});
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.notes().SetReaders(kClinicA, NoteId(9), {kBea});
            }).code(),
            absl::StatusCode::kNotFound);
}

// Newest session first, then newest id; the keyset walks through equal session times without
// skipping or repeating a note.
TEST_F(NoteRepositoryTest, ListPagesNewestSessionFirstThenNewestId) {
  std::vector<NoteRecord> notes;
  for (int n = 1; n <= 7; ++n) {
    NoteRecord note = NewNote(n);
    // Sessions 2..5 share one start time; 6 and 7 are older than 1.
    note.session_start_time = n == 1   ? kCreateTime + absl::Hours(10)
                              : n <= 5 ? kCreateTime + absl::Hours(5)
                                       : kCreateTime - absl::Hours(n);
    ASSERT_TRUE(Insert(note).ok());
  }
  ASSERT_TRUE(Insert(NewNote(8, kRiley)).ok());
  ASSERT_TRUE(Insert(NewNote(9, kCasey, kClinicB)).ok());
  const std::vector<std::string> expected = {NoteId(1), NoteId(5), NoteId(4), NoteId(3),
                                             NoteId(2), NoteId(6), NoteId(7)};

  EXPECT_THAT(IdsOf(List(JoNotes())), ElementsAreArray(expected));
  std::vector<std::string> paged;
  NoteListQuery query = JoNotes(kAlice, 2);
  for (int page = 0; page < 10; ++page) {
    std::vector<NoteRecord> notes_page = List(query);
    EXPECT_LE(notes_page.size(), 2u);
    if (notes_page.empty()) {
      break;
    }
    for (const NoteRecord& note : notes_page) {
      paged.push_back(note.id);
    }
    query.after_id = notes_page.back().id;
  }
  EXPECT_THAT(paged, ElementsAreArray(expected));

  // A page ending at a note that is not Jo's (or not there) ends the list.
  query.after_id = NoteId(8);
  EXPECT_THAT(List(query), IsEmpty());
  query.after_id = NoteId(99);
  EXPECT_THAT(List(query), IsEmpty());
}

TEST_F(NoteRepositoryTest, ListCarriesReadersAndEveryField) {
  NoteRecord note = NewNote(1);
  note.kind = kPsychotherapy;
  note.reader_user_ids = {kBea};
  ASSERT_TRUE(Insert(note).ok());

  std::vector<NoteRecord> listed = List(JoNotes());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_THAT(listed[0].reader_user_ids, ElementsAre(kBea));
  EXPECT_EQ(listed[0].session_start_time, note.session_start_time);
  EXPECT_EQ(listed[0].create_time, note.create_time);
  EXPECT_EQ(listed[0].content_sealed, note.content_sealed);
}

// A psychotherapy note is listed only to its author and readers, and hidden notes do not make
// pages short.
TEST_F(NoteRepositoryTest, ListShowsPsychotherapyNotesOnlyToAuthorAndReaders) {
  NoteRecord shared = NewNote(1);
  shared.kind = kPsychotherapy;
  shared.reader_user_ids = {kBea};
  NoteRecord private_note = NewNote(2);
  private_note.kind = kPsychotherapy;
  NoteRecord by_bea = NewNote(3);
  by_bea.kind = kPsychotherapy;
  by_bea.author_user_id = kBea;
  for (const NoteRecord& note : {shared, private_note, by_bea, NewNote(4), NewNote(0)}) {
    ASSERT_TRUE(Insert(note).ok());
  }

  EXPECT_THAT(IdsOf(List(JoNotes(kAlice))),
              ElementsAre(NoteId(4), NoteId(2), NoteId(1), NoteId(0)));
  EXPECT_THAT(IdsOf(List(JoNotes(kBea))), ElementsAre(NoteId(4), NoteId(3), NoteId(1), NoteId(0)));
  EXPECT_THAT(IdsOf(List(JoNotes(kCai))), ElementsAre(NoteId(4), NoteId(0)));
  EXPECT_THAT(IdsOf(List(JoNotes(""))), ElementsAre(NoteId(4), NoteId(0)));

  // A full page even though three hidden notes lie between the two visible ones.
  NoteListQuery query = JoNotes(kCai, 1);
  query.after_id = NoteId(4);
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(0)));

  // After un-sharing, Bea no longer sees it.
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.notes().SetReaders(kClinicA, NoteId(1), {}); }).ok());
  EXPECT_THAT(IdsOf(List(JoNotes(kBea))), ElementsAre(NoteId(4), NoteId(3), NoteId(0)));
}

TEST_F(NoteRepositoryTest, ListLeavesOutDiscardedNotesUnlessAsked) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  ASSERT_TRUE(Insert(NewNote(2)).ok());
  ASSERT_TRUE(Succeeded([&](NoteRepository& notes) {
    return notes.Discard(kClinicA, NoteId(2), 1, kAlice, kCreateTime + absl::Hours(1));
  }));

  EXPECT_THAT(IdsOf(List(JoNotes())), ElementsAre(NoteId(1)));
  NoteListQuery query = JoNotes();
  query.include_discarded = true;
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(2), NoteId(1)));
}

TEST_F(NoteRepositoryTest, ListCanHideOtherAuthorsDraftsAndDiscardedNotes) {
  NoteRecord beas_draft = NewNote(1);
  beas_draft.author_user_id = kBea;
  NoteRecord beas_signed = NewNote(2);
  beas_signed.author_user_id = kBea;
  NoteRecord beas_discarded = NewNote(3);
  beas_discarded.author_user_id = kBea;
  for (const NoteRecord& note : {beas_draft, beas_signed, beas_discarded, NewNote(4)}) {
    ASSERT_TRUE(Insert(note).ok());
  }
  SignNote(beas_signed);
  ASSERT_TRUE(Succeeded([&](NoteRepository& notes) {
    return notes.Discard(kClinicA, NoteId(3), 1, kBea, kCreateTime + absl::Hours(1));
  }));

  NoteListQuery query = JoNotes(kAlice);
  query.include_discarded = true;
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(4), NoteId(3), NoteId(2), NoteId(1)));
  query.unsigned_only_of_viewer = true;
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(4), NoteId(2)));
  query.viewer_user_id = kBea;
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(3), NoteId(2), NoteId(1)));
}

// The patient's view: signed session notes with a summary, nothing else.
TEST_F(NoteRepositoryTest, ListOnlySignedWithSummaryIsThePatientsView) {
  NoteRecord no_summary = NewNote(2);
  no_summary.patient_summary_sealed = "";
  NoteRecord psychotherapy = NewNote(3);
  psychotherapy.kind = kPsychotherapy;
  for (const NoteRecord& note : {NewNote(1), no_summary, psychotherapy, NewNote(4), NewNote(5)}) {
    ASSERT_TRUE(Insert(note).ok());
  }
  SignNote(NewNote(1));
  SignNote(no_summary);
  SignNote(psychotherapy);
  SignNote(NewNote(5));
  // Note 4 stays a draft.

  NoteListQuery query = JoNotes(kAlice);
  query.only_signed_with_summary = true;
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(5), NoteId(1)));
  query.limit = 1;
  query.after_id = NoteId(5);
  EXPECT_THAT(IdsOf(List(query)), ElementsAre(NoteId(1)));
}

TEST_F(NoteRepositoryTest, AddendaListOldestFirstAndRequestIdsAreUniquePerClinic) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  ASSERT_TRUE(Insert(NewNote(2)).ok());
  SignNote(NewNote(1));
  SignNote(NewNote(2));
  const absl::Time t = kCreateTime + absl::Hours(3) + absl::Microseconds(1);
  // Inserted out of order: 2 is the older.
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.notes().InsertAddendum(NewAddendum(1, NoteId(1), t + absl::Hours(1)),
                                                  "add-1");
              }).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.notes().InsertAddendum(NewAddendum(2, NoteId(1), t), "");
              }).ok());
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.notes().InsertAddendum(NewAddendum(3, NoteId(2), t), "");
              }).ok());

  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.notes().InsertAddendum(NewAddendum(1, NoteId(1), t), "");
            }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Write([&](UnitOfWork& uow) {
              return uow.notes().InsertAddendum(NewAddendum(4, NoteId(1), t), "add-1");
            }).code(),
            absl::StatusCode::kAlreadyExists);

  absl::StatusOr<std::vector<AddendumRecord>> addenda =
      Read([&](UnitOfWork& uow) { return uow.notes().ListAddenda(kClinicA, NoteId(1)); });
  ASSERT_TRUE(addenda.ok()) << addenda.status();
  ASSERT_EQ(addenda->size(), 2u);
  const AddendumRecord expected = NewAddendum(2, NoteId(1), t);
  EXPECT_EQ((*addenda)[0].id, expected.id);
  EXPECT_EQ((*addenda)[0].note_id, NoteId(1));
  EXPECT_EQ((*addenda)[0].clinic_id, kClinicA);
  EXPECT_EQ((*addenda)[0].client_id, kJo);
  EXPECT_EQ((*addenda)[0].author_user_id, kBea);
  EXPECT_EQ((*addenda)[0].create_time, t);
  EXPECT_EQ((*addenda)[0].text_sealed, expected.text_sealed);
  EXPECT_EQ((*addenda)[0].content_hash, expected.content_hash);
  EXPECT_EQ((*addenda)[1].id, AddendumId(1));

  absl::StatusOr<std::vector<AddendumRecord>> other_clinic =
      Read([&](UnitOfWork& uow) { return uow.notes().ListAddenda(kClinicB, NoteId(1)); });
  ASSERT_TRUE(other_clinic.ok()) << other_clinic.status();
  EXPECT_THAT(*other_clinic, IsEmpty());

  absl::StatusOr<std::optional<AddendumRecord>> by_request =
      Read([&](UnitOfWork& uow) { return uow.notes().FindAddendumByRequestId(kClinicA, "add-1"); });
  ASSERT_TRUE(by_request.ok()) << by_request.status();
  ASSERT_TRUE(by_request->has_value());
  EXPECT_EQ((*by_request)->id, AddendumId(1));
  EXPECT_EQ((*by_request)->create_time, t + absl::Hours(1));
  for (const auto& [clinic, request_id] : {std::pair{kClinicB, "add-1"}, std::pair{kClinicA, ""}}) {
    absl::StatusOr<std::optional<AddendumRecord>> none = Read(
        [&](UnitOfWork& uow) { return uow.notes().FindAddendumByRequestId(clinic, request_id); });
    ASSERT_TRUE(none.ok()) << none.status();
    EXPECT_EQ(*none, std::nullopt);
  }
}

TEST_F(NoteRepositoryTest, AddendumRequestIdMayRepeatInAnotherClinic) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  ASSERT_TRUE(Insert(NewNote(2, kCasey, kClinicB)).ok());
  SignNote(NewNote(1));
  SignNote(NewNote(2, kCasey, kClinicB));
  const absl::Time t = kCreateTime + absl::Hours(3);
  ASSERT_TRUE(Write([&](UnitOfWork& uow) {
                return uow.notes().InsertAddendum(NewAddendum(1, NoteId(1), t), "same");
              }).ok());
  AddendumRecord in_b = NewAddendum(2, NoteId(2), t);
  in_b.clinic_id = kClinicB;
  in_b.client_id = kCasey;
  in_b.author_user_id = kCai;
  EXPECT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.notes().InsertAddendum(in_b, "same"); }).ok());
}

// An addendum corrects a signed note: the database refuses one on a draft or discarded note, or
// one naming another clinic or client than its note's (it would be exported with the wrong
// client's record and sealed under the wrong key).
TEST_F(NoteRepositoryTest, AddendumIsAddedOnlyToASignedNoteOfItsClient) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  ASSERT_TRUE(Insert(NewNote(2)).ok());
  ASSERT_TRUE(Insert(NewNote(3)).ok());
  SignNote(NewNote(3));
  const absl::Time t = kCreateTime + absl::Hours(3);
  const auto add = [&](const AddendumRecord& addendum) {
    return Write([&](UnitOfWork& uow) { return uow.notes().InsertAddendum(addendum, ""); });
  };
  ASSERT_TRUE(Succeeded(
      [&](NoteRepository& notes) { return notes.Discard(kClinicA, NoteId(2), 1, kAlice, t); }));

  EXPECT_FALSE(add(NewAddendum(1, NoteId(1), t)).ok());
  EXPECT_FALSE(add(NewAddendum(2, NoteId(2), t)).ok());
  AddendumRecord other_client = NewAddendum(3, NoteId(3), t);
  other_client.client_id = kRiley;
  EXPECT_FALSE(add(other_client).ok());
  AddendumRecord other_clinic = NewAddendum(4, NoteId(3), t);
  other_clinic.clinic_id = kClinicB;
  other_clinic.client_id = kCasey;
  EXPECT_FALSE(add(other_clinic).ok());
  EXPECT_TRUE(add(NewAddendum(5, NoteId(3), t)).ok());

  for (const std::string& note_id : {NoteId(1), NoteId(2), NoteId(3)}) {
    absl::StatusOr<std::vector<AddendumRecord>> addenda =
        Read([&](UnitOfWork& uow) { return uow.notes().ListAddenda(kClinicA, note_id); });
    ASSERT_TRUE(addenda.ok()) << addenda.status();
    EXPECT_EQ(addenda->size(), note_id == NoteId(3) ? 1u : 0u) << note_id;
  }
}

// A signed note is the legal record of its session: the database itself refuses to change its
// content or delete it, and says why (not some other failure, such as a foreign key).
TEST_F(NoteRepositoryTest, DatabaseRefusesToChangeOrDeleteASignedNote) {
  NoteRecord note = NewNote(1);
  note.kind = kPsychotherapy;
  ASSERT_TRUE(Insert(note).ok());
  ASSERT_TRUE(Insert(NewNote(2)).ok());
  SignNote(note, kBea);
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const std::string id = note.id;

  for (const std::string& change : std::vector<std::string>{
           "content_sealed = 'forged'", "patient_summary_sealed = 'forged'",
           "content_hash = 'forged'", "signed_by_user_id = '" + std::string(kBea) + "'",
           "sign_time = sign_time + 1", "session_start_time = session_start_time + 1",
           "duration_minutes = 5", "modality = 2", "session_type = 5",
           "author_user_id = '" + std::string(kBea) + "'", "kind = 1", "state = 1", "state = 3",
           "client_id = '" + std::string(kRiley) + "'"}) {
    EXPECT_THAT(FailureOf(*sql, "UPDATE notes SET " + change + " WHERE id = :id", id),
                HasSubstr("a signed note is never changed"))
        << change;
  }
  EXPECT_THAT(FailureOf(*sql, "DELETE FROM notes WHERE id = :id", id),
              HasSubstr("a signed note is never deleted"));
  if (scratch_->dialect() == Dialect::kPostgresql) {
    EXPECT_THAT(FailureOf(*sql, "TRUNCATE notes CASCADE", ""),
                HasSubstr("notes are never truncated"));
  }

  // What may change after signing: the co-signature (once), version, update time, readers.
  EXPECT_EQ(FailureOf(*sql,
                      "UPDATE notes SET cosign_time = 5, version = version + 1, update_time = 5 "
                      "WHERE id = :id",
                      id),
            "");
  EXPECT_THAT(FailureOf(*sql, "UPDATE notes SET cosign_time = 6 WHERE id = :id", id),
              HasSubstr("a signed note is never changed"));
  // The co-signer named at signing is the only one who ever co-signs.
  EXPECT_THAT(
      FailureOf(*sql,
                "UPDATE notes SET cosigner_user_id = '" + std::string(kAlice) + "' WHERE id = :id",
                id),
      HasSubstr("a signed note is never changed"));
  EXPECT_THAT(FailureOf(*sql, "UPDATE notes SET cosigner_user_id = '' WHERE id = :id", id),
              HasSubstr("a signed note is never changed"));
  EXPECT_EQ(FailureOf(*sql,
                      "INSERT INTO note_readers (note_id, user_id) VALUES (:id, '" +
                          std::string(kBea) + "')",
                      id),
            "");
  EXPECT_EQ(FailureOf(*sql, "DELETE FROM note_readers WHERE note_id = :id", id), "");
  // A draft is the author's to change.
  EXPECT_EQ(
      FailureOf(*sql, "UPDATE notes SET content_sealed = 'rewritten' WHERE id = :id", NoteId(2)),
      "");

  std::optional<NoteRecord> found = Find(id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, kSigned);
  EXPECT_EQ(found->content_sealed, note.content_sealed);
  EXPECT_EQ(found->cosign_time, absl::FromUnixMicros(5));
}

// Signed without a co-signer asked for: nobody can be named, or co-sign, afterwards.
TEST_F(NoteRepositoryTest, DatabaseRefusesACosignerAddedAfterSigning) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  SignNote(NewNote(1));
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();

  EXPECT_THAT(
      FailureOf(*sql,
                "UPDATE notes SET cosigner_user_id = '" + std::string(kBea) + "' WHERE id = :id",
                NoteId(1)),
      HasSubstr("a signed note is never changed"));
  EXPECT_THAT(FailureOf(*sql, "UPDATE notes SET cosign_time = 5 WHERE id = :id", NoteId(1)),
              HasSubstr("a signed note is never changed"));
  std::optional<NoteRecord> found = Find(NoteId(1));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->cosigner_user_id, "");
  EXPECT_EQ(found->cosign_time, std::nullopt);
}

// SQLite's REPLACE conflict resolution deletes the conflicting row without firing DELETE
// triggers; PostgreSQL's upsert runs the UPDATE trigger. Either way a signed note, or an
// addendum, cannot be swapped for a forged row.
TEST_F(NoteRepositoryTest, DatabaseRefusesToReplaceASignedNoteOrAnAddendum) {
  NoteRecord note = NewNote(1);
  ASSERT_TRUE(Insert(note, "create-1").ok());
  SignNote(note);
  ASSERT_TRUE(Insert(NewNote(2)).ok());
  const AddendumRecord addendum = NewAddendum(1, NoteId(1), kCreateTime + absl::Hours(3));
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.notes().InsertAddendum(addendum, "add-1"); }).ok());
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();
  const bool sqlite = scratch_->dialect() == Dialect::kSqlite;
  const std::string columns =
      "(id, clinic_id, client_id, kind, state, author_user_id, session_start_time, "
      "duration_minutes, modality, session_type, content_sealed, version, create_time, "
      "update_time, create_request_id) ";
  const std::string forged_row = "VALUES (:id, '" + std::string(kClinicA) + "', '" +
                                 std::string(kJo) + "', 1, 1, '" + std::string(kAlice) +
                                 "', 1, 50, 1, 1, 'forged', 1, 1, 1, ";

  if (sqlite) {
    // The same id, the same create request id, or another note renamed onto it.
    EXPECT_THAT(
        FailureOf(*sql, "INSERT OR REPLACE INTO notes " + columns + forged_row + "'')", note.id),
        HasSubstr("never replaced"));
    EXPECT_THAT(
        FailureOf(*sql, "REPLACE INTO notes " + columns + forged_row + "'create-1')", NoteId(3)),
        HasSubstr("never replaced"));
    EXPECT_THAT(
        FailureOf(*sql, "UPDATE OR REPLACE notes SET id = :id WHERE id = '" + NoteId(2) + "'",
                  note.id),
        HasSubstr("identity is never changed"));
    EXPECT_THAT(FailureOf(*sql,
                          "INSERT OR REPLACE INTO note_addenda (id, note_id, clinic_id, "
                          "client_id, author_user_id, create_time, text_sealed, content_hash, "
                          "request_id) VALUES (:id, '" +
                              note.id + "', '" + kClinicA + "', '" + kJo + "', '" + kAlice +
                              "', 1, 'forged', 'x', '')",
                          addendum.id),
                HasSubstr("never replaced"));
  } else {
    EXPECT_THAT(FailureOf(*sql,
                          "INSERT INTO notes " + columns + forged_row +
                              "'') ON CONFLICT (id) DO UPDATE SET content_sealed = "
                              "EXCLUDED.content_sealed",
                          note.id),
                HasSubstr("a signed note is never changed"));
    EXPECT_THAT(FailureOf(*sql,
                          "INSERT INTO note_addenda (id, note_id, clinic_id, client_id, "
                          "author_user_id, create_time, text_sealed, content_hash) VALUES (:id, "
                          "'" +
                              note.id + "', '" + kClinicA + "', '" + kJo + "', '" + kAlice +
                              "', 1, 'forged', 'x') ON CONFLICT (id) DO UPDATE SET text_sealed "
                              "= EXCLUDED.text_sealed",
                          addendum.id),
                HasSubstr("note addenda are never changed"));
  }

  std::optional<NoteRecord> found = Find(note.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->state, kSigned);
  EXPECT_EQ(found->content_sealed, note.content_sealed);
  ASSERT_TRUE(Find(NoteId(2)).has_value());
  absl::StatusOr<std::vector<AddendumRecord>> addenda =
      Read([&](UnitOfWork& uow) { return uow.notes().ListAddenda(kClinicA, note.id); });
  ASSERT_TRUE(addenda.ok()) << addenda.status();
  ASSERT_EQ(addenda->size(), 1u);
  EXPECT_EQ((*addenda)[0].text_sealed, addendum.text_sealed);
  // A plain insert of a used id or request id still reads as ALREADY_EXISTS.
  EXPECT_EQ(Insert(NewNote(1)).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Insert(NewNote(4), "create-1").code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Write([&](UnitOfWork& uow) { return uow.notes().InsertAddendum(addendum, ""); }).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(NoteRepositoryTest, DatabaseRefusesToChangeOrDeleteAnAddendum) {
  ASSERT_TRUE(Insert(NewNote(1)).ok());
  SignNote(NewNote(1));
  const AddendumRecord addendum = NewAddendum(1, NoteId(1), kCreateTime + absl::Hours(3));
  ASSERT_TRUE(
      Write([&](UnitOfWork& uow) { return uow.notes().InsertAddendum(addendum, ""); }).ok());
  std::unique_ptr<soci::session> sql = scratch_->OpenSession();

  EXPECT_THAT(
      FailureOf(*sql, "UPDATE note_addenda SET text_sealed = 'forged' WHERE id = :id", addendum.id),
      HasSubstr("note addenda are never changed"));
  EXPECT_THAT(FailureOf(*sql, "DELETE FROM note_addenda WHERE id = :id", addendum.id),
              HasSubstr("note addenda are never changed"));
  if (scratch_->dialect() == Dialect::kPostgresql) {
    EXPECT_THAT(FailureOf(*sql, "TRUNCATE note_addenda", ""),
                HasSubstr("note addenda are never changed"));
  }
  absl::StatusOr<std::vector<AddendumRecord>> addenda =
      Read([&](UnitOfWork& uow) { return uow.notes().ListAddenda(kClinicA, NoteId(1)); });
  ASSERT_TRUE(addenda.ok()) << addenda.status();
  ASSERT_EQ(addenda->size(), 1u);
  EXPECT_EQ((*addenda)[0].text_sealed, addendum.text_sealed);
}

}  // namespace
}  // namespace confide::persistence
