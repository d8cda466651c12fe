#include "adapters/persistence/soci_note_repository.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// v1::NoteState values the statements compare against (they are written into the SQL below).
constexpr int kDraft = 1;

constexpr char kNoteColumns[] =
    "SELECT id, clinic_id, client_id, kind, state, author_user_id, session_start_time, "
    "duration_minutes, modality, session_type, content_sealed, patient_summary_sealed, version, "
    "create_time, update_time, signed_by_user_id, sign_time, content_hash, cosigner_user_id, "
    "cosign_time, discarded_by_user_id, discard_time FROM notes ";

constexpr char kAddendumColumns[] =
    "SELECT id, note_id, clinic_id, client_id, author_user_id, create_time, text_sealed, "
    "content_hash FROM note_addenda ";

// 0 in a time column means "not yet".
std::optional<absl::Time> OptionalTime(long long micros) {
  return micros == 0 ? std::nullopt : std::optional<absl::Time>(absl::FromUnixMicros(micros));
}

long long MicrosOrZero(const std::optional<absl::Time>& time) {
  return time ? absl::ToUnixMicros(*time) : 0;
}

// The row a note statement fetches into, bound once per statement.
struct NoteRow {
  NoteRecord record;
  long long session_start_time = 0;
  long long create_time = 0;
  long long update_time = 0;
  long long sign_time = 0;
  long long cosign_time = 0;
  long long discard_time = 0;

  NoteRecord Take() {
    NoteRecord out = record;
    out.session_start_time = absl::FromUnixMicros(session_start_time);
    out.create_time = absl::FromUnixMicros(create_time);
    out.update_time = absl::FromUnixMicros(update_time);
    out.sign_time = OptionalTime(sign_time);
    out.cosign_time = OptionalTime(cosign_time);
    out.discard_time = OptionalTime(discard_time);
    return out;
  }
};

struct AddendumRow {
  AddendumRecord record;
  long long create_time = 0;

  AddendumRecord Take() {
    AddendumRecord out = record;
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

void BindNote(soci::statement& st, NoteRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.kind));
  st.exchange(soci::into(row.record.state));
  st.exchange(soci::into(row.record.author_user_id));
  st.exchange(soci::into(row.session_start_time));
  st.exchange(soci::into(row.record.duration_minutes));
  st.exchange(soci::into(row.record.modality));
  st.exchange(soci::into(row.record.session_type));
  st.exchange(soci::into(row.record.content_sealed));
  st.exchange(soci::into(row.record.patient_summary_sealed));
  st.exchange(soci::into(row.record.version));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.update_time));
  st.exchange(soci::into(row.record.signed_by_user_id));
  st.exchange(soci::into(row.sign_time));
  st.exchange(soci::into(row.record.content_hash));
  st.exchange(soci::into(row.record.cosigner_user_id));
  st.exchange(soci::into(row.cosign_time));
  st.exchange(soci::into(row.record.discarded_by_user_id));
  st.exchange(soci::into(row.discard_time));
}

void BindAddendum(soci::statement& st, AddendumRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.note_id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.author_user_id));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.text_sealed));
  st.exchange(soci::into(row.record.content_hash));
}

}  // namespace

void SociNoteRepository::InsertReaders(const std::string& note_id,
                                       std::vector<std::string> reader_user_ids) {
  std::sort(reader_user_ids.begin(), reader_user_ids.end());
  reader_user_ids.erase(std::unique(reader_user_ids.begin(), reader_user_ids.end()),
                        reader_user_ids.end());
  std::string note = note_id, reader;
  soci::statement st = (sql_.prepare << "INSERT INTO note_readers (note_id, user_id) VALUES "
                                        "(:note_id, :user_id)",
                        soci::use(note), soci::use(reader));
  for (const std::string& user_id : reader_user_ids) {
    reader = user_id;
    st.execute(true);
  }
}

void SociNoteRepository::AttachReaders(const std::string& clinic_id, const std::string& client_id,
                                       std::vector<NoteRecord>& notes) {
  if (notes.empty()) {
    return;
  }
  std::string clinic = clinic_id, client = client_id, note_id, user_id;
  soci::statement st =
      (sql_.prepare << "SELECT r.note_id, r.user_id FROM note_readers r JOIN notes n ON "
                       "n.id = r.note_id WHERE n.clinic_id = :clinic_id AND n.client_id = "
                       ":client_id",
       soci::use(clinic), soci::use(client), soci::into(note_id), soci::into(user_id));
  std::map<std::string, std::vector<std::string>> readers;
  st.execute();
  while (st.fetch()) {
    readers[note_id].push_back(user_id);
  }
  for (NoteRecord& note : notes) {
    auto it = readers.find(note.id);
    note.reader_user_ids.clear();
    if (it != readers.end()) {
      note.reader_user_ids = it->second;
      // Sorted here, not by the database, so the order never depends on its collation.
      std::sort(note.reader_user_ids.begin(), note.reader_user_ids.end());
    }
  }
}

absl::Status SociNoteRepository::Insert(const NoteRecord& record,
                                        std::string_view create_request_id) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                author = record.author_user_id, content = record.content_sealed,
                summary = record.patient_summary_sealed, signed_by = record.signed_by_user_id,
                hash = record.content_hash, cosigner = record.cosigner_user_id,
                discarded_by = record.discarded_by_user_id, request_id(create_request_id);
    int kind = record.kind, state = record.state, duration = record.duration_minutes,
        modality = record.modality, session_type = record.session_type, version = record.version;
    long long session_start = absl::ToUnixMicros(record.session_start_time),
              create_time = absl::ToUnixMicros(record.create_time),
              update_time = absl::ToUnixMicros(record.update_time),
              sign_time = MicrosOrZero(record.sign_time),
              cosign_time = MicrosOrZero(record.cosign_time),
              discard_time = MicrosOrZero(record.discard_time);
    sql_ << "INSERT INTO notes (id, clinic_id, client_id, kind, state, author_user_id, "
            "session_start_time, duration_minutes, modality, session_type, content_sealed, "
            "patient_summary_sealed, version, create_time, update_time, signed_by_user_id, "
            "sign_time, content_hash, cosigner_user_id, cosign_time, discarded_by_user_id, "
            "discard_time, create_request_id) VALUES (:id, :clinic_id, :client_id, :kind, "
            ":state, :author, :session_start, :duration, :modality, :session_type, :content, "
            ":summary, :version, :create_time, :update_time, :signed_by, :sign_time, :hash, "
            ":cosigner, :cosign_time, :discarded_by, :discard_time, :request_id)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(kind),
        soci::use(state), soci::use(author), soci::use(session_start), soci::use(duration),
        soci::use(modality), soci::use(session_type), soci::use(content), soci::use(summary),
        soci::use(version), soci::use(create_time), soci::use(update_time), soci::use(signed_by),
        soci::use(sign_time), soci::use(hash), soci::use(cosigner), soci::use(cosign_time),
        soci::use(discarded_by), soci::use(discard_time), soci::use(request_id);
    InsertReaders(id, record.reader_user_ids);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.insert");
  }
}

absl::StatusOr<std::optional<NoteRecord>> SociNoteRepository::Find(std::string_view clinic_id,
                                                                   std::string_view client_id,
                                                                   std::string_view note_id) {
  try {
    std::string clinic(clinic_id), client(client_id), note(note_id);
    NoteRow row;
    soci::statement st(sql_);
    BindNote(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(note));
    st.alloc();
    st.prepare(std::string(kNoteColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id AND id = :id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    std::vector<NoteRecord> found = {row.Take()};
    AttachReaders(clinic, client, found);
    return std::move(found.front());
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.find");
  }
}

absl::StatusOr<std::optional<NoteRecord>> SociNoteRepository::FindByCreateRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    NoteRow row;
    soci::statement st(sql_);
    BindNote(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kNoteColumns) +
               "WHERE clinic_id = :clinic_id AND create_request_id = :request_id "
               "AND create_request_id <> ''");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    std::vector<NoteRecord> found = {row.Take()};
    AttachReaders(clinic, found.front().client_id, found);
    return std::move(found.front());
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.find_by_create_request_id");
  }
}

absl::StatusOr<bool> SociNoteRepository::UpdateDraft(const NoteRecord& next, int expected_version) {
  try {
    std::string clinic = next.clinic_id, client = next.client_id, id = next.id,
                content = next.content_sealed, summary = next.patient_summary_sealed;
    int duration = next.duration_minutes, modality = next.modality,
        session_type = next.session_type, version = next.version, draft = kDraft,
        expected = expected_version;
    long long session_start = absl::ToUnixMicros(next.session_start_time),
              update_time = absl::ToUnixMicros(next.update_time);
    soci::statement st =
        (sql_.prepare << "UPDATE notes SET session_start_time = :session_start, duration_minutes "
                         "= :duration, modality = :modality, session_type = :session_type, "
                         "content_sealed = :content, patient_summary_sealed = :summary, "
                         "update_time = :update_time, version = :version WHERE clinic_id = "
                         ":clinic_id AND client_id = :client_id AND id = :id AND state = :draft "
                         "AND version = :expected",
         soci::use(session_start), soci::use(duration), soci::use(modality),
         soci::use(session_type), soci::use(content), soci::use(summary), soci::use(update_time),
         soci::use(version), soci::use(clinic), soci::use(client), soci::use(id), soci::use(draft),
         soci::use(expected));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.update_draft");
  }
}

absl::StatusOr<bool> SociNoteRepository::Sign(const NoteRecord& signed_note, int expected_version) {
  if (!signed_note.sign_time.has_value()) {
    return false;
  }
  try {
    std::string clinic = signed_note.clinic_id, client = signed_note.client_id, id = signed_note.id,
                signed_by = signed_note.signed_by_user_id, hash = signed_note.content_hash,
                cosigner = signed_note.cosigner_user_id;
    int draft = kDraft, expected = expected_version, version = expected_version + 1;
    long long sign_time = absl::ToUnixMicros(*signed_note.sign_time), update_time = sign_time;
    soci::statement st =
        (sql_.prepare << "UPDATE notes SET state = 2, signed_by_user_id = :signed_by, sign_time "
                         "= :sign_time, content_hash = :hash, cosigner_user_id = :cosigner, "
                         "update_time = :update_time, version = :version WHERE clinic_id = "
                         ":clinic_id AND client_id = :client_id AND id = :id AND state = :draft "
                         "AND version = :expected",
         soci::use(signed_by), soci::use(sign_time), soci::use(hash), soci::use(cosigner),
         soci::use(update_time), soci::use(version), soci::use(clinic), soci::use(client),
         soci::use(id), soci::use(draft), soci::use(expected));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.sign");
  }
}

absl::StatusOr<bool> SociNoteRepository::Cosign(std::string_view clinic_id,
                                                std::string_view note_id, absl::Time cosign_time) {
  try {
    std::string clinic(clinic_id), id(note_id);
    long long when = absl::ToUnixMicros(cosign_time), update_time = when;
    soci::statement st =
        (sql_.prepare << "UPDATE notes SET cosign_time = :cosign_time, update_time = "
                         ":update_time, version = version + 1 WHERE clinic_id = :clinic_id AND "
                         "id = :id AND state = 2 AND cosigner_user_id <> '' AND cosign_time = 0",
         soci::use(when), soci::use(update_time), soci::use(clinic), soci::use(id));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.cosign");
  }
}

absl::StatusOr<bool> SociNoteRepository::Discard(std::string_view clinic_id,
                                                 std::string_view note_id, int expected_version,
                                                 std::string_view by_user_id, absl::Time when) {
  try {
    std::string clinic(clinic_id), id(note_id), by(by_user_id);
    int draft = kDraft, expected = expected_version;
    long long discard_time = absl::ToUnixMicros(when), update_time = discard_time;
    soci::statement st =
        (sql_.prepare << "UPDATE notes SET state = 3, content_sealed = '', "
                         "patient_summary_sealed = '', discarded_by_user_id = :by, discard_time "
                         "= :discard_time, update_time = :update_time, version = version + 1 "
                         "WHERE clinic_id = :clinic_id AND id = :id AND state = :draft AND "
                         "version = :expected",
         soci::use(by), soci::use(discard_time), soci::use(update_time), soci::use(clinic),
         soci::use(id), soci::use(draft), soci::use(expected));
    st.execute(true);
    return st.get_affected_rows() > 0;
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.discard");
  }
}

absl::Status SociNoteRepository::SetReaders(std::string_view clinic_id, std::string_view note_id,
                                            const std::vector<std::string>& reader_user_ids) {
  try {
    std::string clinic(clinic_id), id(note_id);
    soci::statement st = (sql_.prepare << "UPDATE notes SET version = version + 1 WHERE "
                                          "clinic_id = :clinic_id AND id = :id",
                          soci::use(clinic), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return absl::NotFoundError("note not found");
    }
    sql_ << "DELETE FROM note_readers WHERE note_id = :id", soci::use(id);
    InsertReaders(id, reader_user_ids);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.set_readers");
  }
}

absl::StatusOr<std::vector<NoteRecord>> SociNoteRepository::List(const NoteListQuery& query) {
  try {
    std::string clinic = query.clinic_id, client = query.client_id, viewer = query.viewer_user_id,
                after = query.after_id;
    int own_unsigned = query.unsigned_only_of_viewer ? 1 : 0,
        include_discarded = query.include_discarded ? 1 : 0,
        only_summaries = query.only_signed_with_summary ? 1 : 0,
        max_rows = std::max(query.limit, 0);
    NoteRow row;
    soci::statement st(sql_);
    BindNote(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(viewer));
    st.exchange(soci::use(viewer));
    st.exchange(soci::use(own_unsigned));
    st.exchange(soci::use(viewer));
    st.exchange(soci::use(include_discarded));
    st.exchange(soci::use(only_summaries));
    st.exchange(soci::use(after));
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(after));
    st.exchange(soci::use(max_rows));
    st.alloc();
    // Every filter is in SQL so a page holds `limit` notes the viewer may see. The keyset is
    // the (session_start_time, id) of the note the previous page ended with; a note that no
    // longer exists ends the list rather than restarting it.
    st.prepare(std::string(kNoteColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id "
               "AND (kind <> 2 OR author_user_id = :viewer1 OR EXISTS (SELECT 1 FROM "
               "note_readers r WHERE r.note_id = notes.id AND r.user_id = :viewer2)) "
               "AND (:own_unsigned = 0 OR state = 2 OR author_user_id = :viewer3) "
               "AND (:include_discarded = 1 OR state <> 3) "
               "AND (:only_summaries = 0 OR (state = 2 AND kind = 1 AND "
               "patient_summary_sealed <> '')) "
               "AND (:after1 = '' OR EXISTS (SELECT 1 FROM notes a WHERE a.clinic_id = "
               ":clinic2 AND a.client_id = :client2 AND a.id = :after2 AND "
               "(notes.session_start_time < a.session_start_time OR (notes.session_start_time = "
               "a.session_start_time AND notes.id < a.id)))) "
               "ORDER BY session_start_time DESC, id DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<NoteRecord> notes;
    st.execute();
    while (st.fetch()) {
      notes.push_back(row.Take());
    }
    AttachReaders(clinic, client, notes);
    return notes;
  } catch (const std::exception& e) {
    return StatusFromException(e, "notes.list");
  }
}

absl::Status SociNoteRepository::InsertAddendum(const AddendumRecord& record,
                                                std::string_view request_id) {
  try {
    std::string id = record.id, note_id = record.note_id, clinic_id = record.clinic_id,
                client_id = record.client_id, author = record.author_user_id,
                text = record.text_sealed, hash = record.content_hash, request(request_id);
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO note_addenda (id, note_id, clinic_id, client_id, author_user_id, "
            "create_time, text_sealed, content_hash, request_id) VALUES (:id, :note_id, "
            ":clinic_id, :client_id, :author, :create_time, :text, :hash, :request_id)",
        soci::use(id), soci::use(note_id), soci::use(clinic_id), soci::use(client_id),
        soci::use(author), soci::use(create_time), soci::use(text), soci::use(hash),
        soci::use(request);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "note_addenda.insert");
  }
}

absl::StatusOr<std::vector<AddendumRecord>> SociNoteRepository::ListAddenda(
    std::string_view clinic_id, std::string_view note_id) {
  try {
    std::string clinic(clinic_id), note(note_id);
    AddendumRow row;
    soci::statement st(sql_);
    BindAddendum(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(note));
    st.alloc();
    st.prepare(std::string(kAddendumColumns) +
               "WHERE clinic_id = :clinic_id AND note_id = :note_id ORDER BY create_time, id");
    st.define_and_bind();
    std::vector<AddendumRecord> addenda;
    st.execute();
    while (st.fetch()) {
      addenda.push_back(row.Take());
    }
    return addenda;
  } catch (const std::exception& e) {
    return StatusFromException(e, "note_addenda.list");
  }
}

absl::StatusOr<std::optional<AddendumRecord>> SociNoteRepository::FindAddendumByRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    AddendumRow row;
    soci::statement st(sql_);
    BindAddendum(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kAddendumColumns) +
               "WHERE clinic_id = :clinic_id AND request_id = :request_id AND request_id <> ''");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "note_addenda.find_by_request_id");
  }
}

}  // namespace confide::persistence
