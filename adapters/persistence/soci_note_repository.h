#pragma once

#include "services/notes/ports/note_repository.h"

namespace soci {
class session;
}

namespace confide::persistence {

// Session notes in `notes` (their psychotherapy readers in `note_readers`) and their addenda in
// `note_addenda`. The database itself refuses changing a signed note's content and deleting it,
// and any change to an addendum (migration 0011).
class SociNoteRepository final : public NoteRepository {
 public:
  explicit SociNoteRepository(soci::session& sql) : sql_(sql) {}

  absl::Status Insert(const NoteRecord& record, std::string_view create_request_id) override;
  absl::StatusOr<std::optional<NoteRecord>> Find(std::string_view clinic_id,
                                                 std::string_view client_id,
                                                 std::string_view note_id) override;
  absl::StatusOr<std::optional<NoteRecord>> FindByCreateRequestId(
      std::string_view clinic_id, std::string_view request_id) override;
  absl::StatusOr<bool> UpdateDraft(const NoteRecord& next, int expected_version) override;
  absl::StatusOr<bool> Sign(const NoteRecord& signed_note, int expected_version) override;
  absl::StatusOr<bool> Cosign(std::string_view clinic_id, std::string_view note_id,
                              absl::Time cosign_time) override;
  absl::StatusOr<bool> Discard(std::string_view clinic_id, std::string_view note_id,
                               int expected_version, std::string_view by_user_id,
                               absl::Time when) override;
  absl::Status SetReaders(std::string_view clinic_id, std::string_view note_id,
                          const std::vector<std::string>& reader_user_ids) override;
  absl::StatusOr<std::vector<NoteRecord>> List(const NoteListQuery& query) override;

  absl::Status InsertAddendum(const AddendumRecord& record, std::string_view request_id) override;
  absl::StatusOr<std::vector<AddendumRecord>> ListAddenda(std::string_view clinic_id,
                                                          std::string_view note_id) override;
  absl::StatusOr<std::optional<AddendumRecord>> FindAddendumByRequestId(
      std::string_view clinic_id, std::string_view request_id) override;

 private:
  // Fills in the readers of `notes` (all of one client) with one query.
  void AttachReaders(const std::string& clinic_id, const std::string& client_id,
                     std::vector<NoteRecord>& notes);
  void InsertReaders(const std::string& note_id, std::vector<std::string> reader_user_ids);

  soci::session& sql_;
};

}  // namespace confide::persistence
