#include "services/notes/note_content.h"

#include <utility>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/etag.h"
#include "services/common/timestamps.h"

namespace confide {
namespace {

// Protobuf's deterministic serialization: map entries sorted, fields in number order. Stable
// for a given build of the messages, which is all a stored hash needs since the canonical
// messages hold only fields that exist today (unknown fields never reach storage).
std::string Deterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeWithCachedSizes(&coded);
  }
  return out;
}

std::string DeterministicOf(const google::protobuf::MessageLite& message) {
  // SerializeWithCachedSizes needs the sizes computed first.
  message.ByteSizeLong();
  return Deterministic(message);
}

v1::Signature SignatureOf(const std::string& user_id, absl::Time time, const std::string& hash) {
  v1::Signature signature;
  signature.set_user_id(user_id);
  *signature.mutable_time() = ToTimestamp(time);
  signature.set_content_hash(hash);
  return signature;
}

}  // namespace

v1::Note NoteContent(const v1::Note& note) {
  v1::Note content;
  switch (note.body_case()) {
    case v1::Note::kSoap:
      *content.mutable_soap() = note.soap();
      break;
    case v1::Note::kDap:
      *content.mutable_dap() = note.dap();
      break;
    case v1::Note::kBirp:
      *content.mutable_birp() = note.birp();
      break;
    case v1::Note::kFreeText:
      *content.mutable_free_text() = note.free_text();
      break;
    case v1::Note::BODY_NOT_SET:
      break;
  }
  if (note.has_pelvic_floor_findings()) {
    *content.mutable_pelvic_floor_findings() = note.pelvic_floor_findings();
  }
  if (note.has_therapy_details()) {
    *content.mutable_therapy_details() = note.therapy_details();
  }
  return content;
}

void NormalizeNoteContent(v1::Note& note) {
  if (note.body_case() == v1::Note::BODY_NOT_SET) {
    note.mutable_free_text();
  }
  if (!HasPatientSummary(note)) {
    note.clear_patient_summary();
  }
}

bool HasPatientSummary(const v1::Note& note) {
  const v1::SessionSummary& summary = note.patient_summary();
  return !summary.summary().empty() || !summary.homework().empty() || !summary.next_steps().empty();
}

bool HasInternalExamination(const v1::Note& note) {
  return note.has_pelvic_floor_findings() &&
         note.pelvic_floor_findings().examination() == v1::PELVIC_EXAMINATION_INTERNAL;
}

v1::SessionDetails SessionOf(const NoteRecord& record) {
  v1::SessionDetails session;
  *session.mutable_start_time() = ToTimestamp(record.session_start_time);
  session.set_duration_minutes(record.duration_minutes);
  session.set_modality(static_cast<v1::SessionModality>(record.modality));
  session.set_type(static_cast<v1::SessionType>(record.session_type));
  return session;
}

void SetSession(const v1::SessionDetails& session, NoteRecord& record) {
  record.session_start_time = StoredTime(FromTimestamp(session.start_time()));
  record.duration_minutes = session.duration_minutes();
  record.modality = session.modality();
  record.session_type = session.type();
}

v1::Note NoteOf(const NoteRecord& record, const v1::Note& content) {
  v1::Note note = NoteContent(content);
  if (content.has_patient_summary()) {
    *note.mutable_patient_summary() = content.patient_summary();
  }
  note.set_id(record.id);
  note.set_client_id(record.client_id);
  note.set_kind(static_cast<v1::NoteKind>(record.kind));
  *note.mutable_session() = SessionOf(record);
  note.set_state(static_cast<v1::NoteState>(record.state));
  note.set_author_user_id(record.author_user_id);
  *note.mutable_create_time() = ToTimestamp(record.create_time);
  *note.mutable_update_time() = ToTimestamp(record.update_time);
  if (record.sign_time.has_value()) {
    *note.mutable_signature() =
        SignatureOf(record.signed_by_user_id, *record.sign_time, record.content_hash);
  }
  note.set_cosigner_user_id(record.cosigner_user_id);
  if (record.cosign_time.has_value()) {
    // The co-signer confirmed the very hash the signer recorded (CosignNote checks it).
    *note.mutable_cosignature() =
        SignatureOf(record.cosigner_user_id, *record.cosign_time, record.content_hash);
  }
  for (const std::string& reader : record.reader_user_ids) {
    note.add_reader_user_ids(reader);
  }
  note.set_discarded_by_user_id(record.discarded_by_user_id);
  if (record.discard_time.has_value()) {
    *note.mutable_discard_time() = ToTimestamp(*record.discard_time);
  }
  note.set_etag(EtagOf(record.version));
  return note;
}

std::string NoteCanonicalForm(const v1::Note& note) {
  v1::Note canonical = NoteContent(note);
  canonical.set_id(note.id());
  canonical.set_client_id(note.client_id());
  canonical.set_kind(note.kind());
  if (note.has_session()) {
    *canonical.mutable_session() = note.session();
  }
  if (note.has_patient_summary()) {
    *canonical.mutable_patient_summary() = note.patient_summary();
  }
  canonical.set_author_user_id(note.author_user_id());
  return DeterministicOf(canonical);
}

std::string NoteContentHash(const SecretGenerator& digests, const v1::Note& note) {
  return digests.Digest(NoteCanonicalForm(note));
}

std::string AddendumCanonicalForm(std::string_view note_id, std::string_view addendum_id,
                                  std::string_view author_user_id, absl::Time create_time,
                                  std::string_view text) {
  v1::Addendum canonical;
  canonical.set_id(std::string(addendum_id));
  canonical.set_text(std::string(text));
  canonical.mutable_signature()->set_user_id(std::string(author_user_id));
  *canonical.mutable_signature()->mutable_time() = ToTimestamp(create_time);
  return std::string(note_id) + DeterministicOf(canonical);
}

std::string AddendumContentHash(const SecretGenerator& digests, std::string_view note_id,
                                std::string_view addendum_id, std::string_view author_user_id,
                                absl::Time create_time, std::string_view text) {
  return digests.Digest(
      AddendumCanonicalForm(note_id, addendum_id, author_user_id, create_time, text));
}

v1::Addendum AddendumOf(const AddendumRecord& record, std::string text) {
  v1::Addendum addendum;
  addendum.set_id(record.id);
  addendum.set_text(std::move(text));
  *addendum.mutable_signature() =
      SignatureOf(record.author_user_id, record.create_time, record.content_hash);
  return addendum;
}

}  // namespace confide
