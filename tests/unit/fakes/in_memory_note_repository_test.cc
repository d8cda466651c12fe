// The in-memory NoteRepository keeps the port's contracts as the SQL one does (see
// tests/persistence/note_repository_test.cc), so service tests on the fake mean something.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notes/ports/note_repository.h"
#include "tests/fakes/in_memory_clinical_repositories.h"
#include "tests/fakes/in_memory_database.h"

namespace confide {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1'770'000'000);
constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "client-jo";

NoteRecord Note(const std::string& id, absl::Duration session_offset, int kind = 1,
                const std::string& author = "sam") {
  return NoteRecord{.id = id,
                    .clinic_id = kClinic,
                    .client_id = kJo,
                    .kind = kind,
                    .state = 1,
                    .author_user_id = author,
                    .session_start_time = kNow + session_offset,
                    .content_sealed = "sealed:" + id,
                    .patient_summary_sealed = "summary:" + id,
                    .version = 1,
                    .create_time = kNow,
                    .update_time = kNow};
}

std::vector<std::string> Ids(const absl::StatusOr<std::vector<NoteRecord>>& notes) {
  std::vector<std::string> ids;
  for (const NoteRecord& note : notes.value()) {
    ids.push_back(note.id);
  }
  return ids;
}

class InMemoryNoteRepositoryTest : public ::testing::Test {
 protected:
  NoteListQuery Query(const std::string& viewer = "sam", int limit = 50) {
    return NoteListQuery{
        .clinic_id = kClinic, .client_id = kJo, .viewer_user_id = viewer, .limit = limit};
  }
  void SignAsAuthor(const NoteRecord& draft, const std::string& cosigner = "") {
    NoteRecord signed_note = draft;
    signed_note.signed_by_user_id = draft.author_user_id;
    signed_note.sign_time = kNow + absl::Hours(1);
    signed_note.content_hash = std::string(64, 'a');
    signed_note.cosigner_user_id = cosigner;
    ASSERT_TRUE(repo_.Sign(signed_note, draft.version).value());
  }

  InMemoryDatabase db_;
  InMemoryNoteRepository repo_{db_};
};

TEST_F(InMemoryNoteRepositoryTest, RefusesDuplicateIdsAndRequestIdsPerClinic) {
  ASSERT_TRUE(repo_.Insert(Note("n1", absl::ZeroDuration()), "req").ok());
  EXPECT_EQ(repo_.Insert(Note("n1", absl::ZeroDuration()), "").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(repo_.Insert(Note("n2", absl::ZeroDuration()), "req").code(),
            absl::StatusCode::kAlreadyExists);
  NoteRecord elsewhere = Note("n3", absl::ZeroDuration());
  elsewhere.clinic_id = "clinic-b";
  EXPECT_TRUE(repo_.Insert(elsewhere, "req").ok());
  EXPECT_EQ(repo_.FindByCreateRequestId(kClinic, "req").value()->id, "n1");
  EXPECT_EQ(repo_.FindByCreateRequestId(kClinic, "").value(), std::nullopt);
  EXPECT_EQ(repo_.Find(kClinic, "client-riley", "n1").value(), std::nullopt);
}

TEST_F(InMemoryNoteRepositoryTest, ConditionalUpdatesChangeNothingWhenTheirConditionFails) {
  const NoteRecord draft = Note("n1", absl::ZeroDuration());
  ASSERT_TRUE(repo_.Insert(draft, "").ok());
  NoteRecord next = draft;
  next.content_sealed = "edited";
  next.version = 2;
  EXPECT_FALSE(repo_.UpdateDraft(next, 2).value());
  EXPECT_TRUE(repo_.UpdateDraft(next, 1).value());
  EXPECT_FALSE(repo_.Cosign(kClinic, "n1", kNow).value());
  SignAsAuthor(next, "alex");
  const NoteRecord signed_note = repo_.Find(kClinic, kJo, "n1").value().value();
  EXPECT_EQ(signed_note.state, 2);
  EXPECT_EQ(signed_note.version, 3);
  EXPECT_FALSE(repo_.UpdateDraft(next, 3).value());
  EXPECT_FALSE(repo_.Discard(kClinic, "n1", 3, "sam", kNow).value());
  EXPECT_TRUE(repo_.Cosign(kClinic, "n1", kNow).value());
  EXPECT_FALSE(repo_.Cosign(kClinic, "n1", kNow).value());
  EXPECT_EQ(repo_.Find(kClinic, kJo, "n1").value()->content_sealed, "edited");

  ASSERT_TRUE(repo_.Insert(Note("n2", absl::ZeroDuration()), "").ok());
  EXPECT_TRUE(repo_.Discard(kClinic, "n2", 1, "sam", kNow).value());
  const NoteRecord discarded = repo_.Find(kClinic, kJo, "n2").value().value();
  EXPECT_EQ(discarded.state, 3);
  EXPECT_EQ(discarded.content_sealed, "");
  EXPECT_EQ(discarded.patient_summary_sealed, "");
  EXPECT_EQ(discarded.version, 2);
  EXPECT_EQ(repo_.SetReaders(kClinic, "n9", {"alex"}).code(), absl::StatusCode::kNotFound);
}

TEST_F(InMemoryNoteRepositoryTest, ListsNewestSessionFirstWithKeysetAndFilters) {
  ASSERT_TRUE(repo_.Insert(Note("a", absl::Hours(1)), "").ok());
  ASSERT_TRUE(repo_.Insert(Note("b", absl::Hours(1)), "").ok());
  ASSERT_TRUE(repo_.Insert(Note("c", absl::Hours(2)), "").ok());
  ASSERT_TRUE(repo_.Insert(Note("d", absl::Hours(0)), "").ok());
  NoteRecord psycho = Note("p", absl::Hours(3), 2);
  psycho.reader_user_ids = {"alex"};
  ASSERT_TRUE(repo_.Insert(psycho, "").ok());
  ASSERT_TRUE(repo_.Insert(Note("q", absl::Hours(4), 2, "alex"), "").ok());

  EXPECT_THAT(Ids(repo_.List(Query("sam"))), ElementsAre("p", "c", "b", "a", "d"));
  EXPECT_THAT(Ids(repo_.List(Query("alex"))), ElementsAre("q", "p", "c", "b", "a", "d"));
  EXPECT_THAT(Ids(repo_.List(Query("kim"))), ElementsAre("c", "b", "a", "d"));
  NoteListQuery page = Query("kim", 2);
  page.after_id = "c";
  EXPECT_THAT(Ids(repo_.List(page)), ElementsAre("b", "a"));
  page.after_id = "a";
  EXPECT_THAT(Ids(repo_.List(page)), ElementsAre("d"));
  page.after_id = "missing";
  EXPECT_THAT(Ids(repo_.List(page)), IsEmpty());

  ASSERT_TRUE(repo_.Discard(kClinic, "d", 1, "sam", kNow).value());
  SignAsAuthor(Note("c", absl::Hours(2)));
  EXPECT_THAT(Ids(repo_.List(Query("kim"))), ElementsAre("c", "b", "a"));
  NoteListQuery with_discarded = Query("kim");
  with_discarded.include_discarded = true;
  EXPECT_THAT(Ids(repo_.List(with_discarded)), ElementsAre("c", "b", "a", "d"));
  with_discarded.unsigned_only_of_viewer = true;
  EXPECT_THAT(Ids(repo_.List(with_discarded)), ElementsAre("c"));
  NoteListQuery summaries = Query("kim");
  summaries.only_signed_with_summary = true;
  EXPECT_THAT(Ids(repo_.List(summaries)), ElementsAre("c"));
}

// As the database's note_addenda_only_on_signed trigger: an addendum only on a signed note of
// the same clinic and client.
TEST_F(InMemoryNoteRepositoryTest, AddsAnAddendumOnlyToASignedNoteOfItsClient) {
  const NoteRecord draft = Note("n1", absl::ZeroDuration());
  ASSERT_TRUE(repo_.Insert(draft, "").ok());
  const auto addendum = [](const std::string& id, const std::string& client_id) {
    return AddendumRecord{.id = id,
                          .note_id = "n1",
                          .clinic_id = kClinic,
                          .client_id = client_id,
                          .author_user_id = "sam",
                          .create_time = kNow,
                          .text_sealed = "sealed:" + id,
                          .content_hash = std::string(64, 'b')};
  };
  EXPECT_EQ(repo_.InsertAddendum(addendum("a1", kJo), "").code(), absl::StatusCode::kInternal);
  SignAsAuthor(draft);
  EXPECT_EQ(repo_.InsertAddendum(addendum("a2", "client-riley"), "").code(),
            absl::StatusCode::kInternal);
  EXPECT_TRUE(repo_.InsertAddendum(addendum("a3", kJo), "").ok());
  EXPECT_EQ(repo_.ListAddenda(kClinic, "n1").value().size(), 1u);
}

}  // namespace
}  // namespace confide
