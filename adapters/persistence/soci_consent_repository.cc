#include "adapters/persistence/soci_consent_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kSelect[] =
    "SELECT id, clinic_id, client_id, kind, text_version, state, give_time, recorded_by_user_id, "
    "recorded_by_role, end_time, withdrawn_by_user_id, withdrawn_by_role FROM consents ";

// One row of `consents` as soci binds it.
struct ConsentRow {
  std::string id, clinic_id, client_id, text_version, recorded_by_user_id, withdrawn_by_user_id;
  int kind = 0, state = 0, recorded_by_role = 0, withdrawn_by_role = 0;
  long long give_time = 0, end_time = 0;

  ConsentRecord ToRecord() const {
    ConsentRecord record{.id = id,
                         .clinic_id = clinic_id,
                         .client_id = client_id,
                         .kind = static_cast<v1::ConsentKind>(kind),
                         .text_version = text_version,
                         .state = static_cast<v1::ConsentState>(state),
                         .give_time = absl::FromUnixMicros(give_time),
                         .recorded_by_user_id = recorded_by_user_id,
                         .recorded_by_role = static_cast<v1::Role>(recorded_by_role),
                         .withdrawn_by_user_id = withdrawn_by_user_id,
                         .withdrawn_by_role = static_cast<v1::Role>(withdrawn_by_role)};
    if (end_time != 0) {
      record.end_time = absl::FromUnixMicros(end_time);
    }
    return record;
  }
};

// Binds the columns of kSelect, in order, into `row`.
void BindInto(soci::statement& st, ConsentRow& row) {
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.clinic_id));
  st.exchange(soci::into(row.client_id));
  st.exchange(soci::into(row.kind));
  st.exchange(soci::into(row.text_version));
  st.exchange(soci::into(row.state));
  st.exchange(soci::into(row.give_time));
  st.exchange(soci::into(row.recorded_by_user_id));
  st.exchange(soci::into(row.recorded_by_role));
  st.exchange(soci::into(row.end_time));
  st.exchange(soci::into(row.withdrawn_by_user_id));
  st.exchange(soci::into(row.withdrawn_by_role));
}

// Runs a SELECT of kSelect + `where` with two text parameters and returns its one row.
absl::StatusOr<std::optional<ConsentRecord>> FindOne(soci::session& sql, const std::string& where,
                                                     std::string first, std::string second,
                                                     std::string_view context) {
  try {
    ConsentRow row;
    soci::statement st(sql);
    BindInto(st, row);
    st.exchange(soci::use(first));
    st.exchange(soci::use(second));
    st.alloc();
    st.prepare(std::string(kSelect) + where);
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, context);
  }
}

}  // namespace

absl::Status SociConsentRepository::Insert(const ConsentRecord& record,
                                           std::string_view record_request_id) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                text_version = record.text_version,
                recorded_by_user_id = record.recorded_by_user_id,
                withdrawn_by_user_id = record.withdrawn_by_user_id, request_id(record_request_id);
    int kind = record.kind, state = record.state, recorded_by_role = record.recorded_by_role,
        withdrawn_by_role = record.withdrawn_by_role;
    long long give_time = absl::ToUnixMicros(record.give_time),
              end_time = record.end_time ? absl::ToUnixMicros(*record.end_time) : 0;
    sql_ << "INSERT INTO consents (id, clinic_id, client_id, kind, text_version, state, "
            "give_time, recorded_by_user_id, recorded_by_role, end_time, withdrawn_by_user_id, "
            "withdrawn_by_role, record_request_id) VALUES (:id, :clinic_id, :client_id, :kind, "
            ":text_version, :state, :give_time, :recorded_by_user_id, :recorded_by_role, "
            ":end_time, :withdrawn_by_user_id, :withdrawn_by_role, :record_request_id)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(kind),
        soci::use(text_version), soci::use(state), soci::use(give_time),
        soci::use(recorded_by_user_id), soci::use(recorded_by_role), soci::use(end_time),
        soci::use(withdrawn_by_user_id), soci::use(withdrawn_by_role), soci::use(request_id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "consents.insert");
  }
}

absl::StatusOr<std::optional<ConsentRecord>> SociConsentRepository::Find(
    std::string_view clinic_id, std::string_view consent_id) {
  return FindOne(sql_, "WHERE clinic_id = :clinic_id AND id = :id", std::string(clinic_id),
                 std::string(consent_id), "consents.find");
}

absl::StatusOr<std::optional<ConsentRecord>> SociConsentRepository::FindByRecordRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  if (request_id.empty()) {
    return std::nullopt;  // '' marks rows recorded without a request id
  }
  // `<> ''` repeats the partial index's predicate so the planner can use that index.
  return FindOne(sql_,
                 "WHERE clinic_id = :clinic_id AND record_request_id = :request_id "
                 "AND record_request_id <> ''",
                 std::string(clinic_id), std::string(request_id),
                 "consents.find_by_record_request_id");
}

absl::StatusOr<std::optional<ConsentRecord>> SociConsentRepository::FindInForce(
    std::string_view clinic_id, std::string_view client_id, v1::ConsentKind kind) {
  return FindGiven(clinic_id, client_id, kind, /*lock=*/false);
}

absl::StatusOr<std::optional<ConsentRecord>> SociConsentRepository::LockInForce(
    std::string_view clinic_id, std::string_view client_id, v1::ConsentKind kind) {
  return FindGiven(clinic_id, client_id, kind, /*lock=*/true);
}

absl::StatusOr<std::optional<ConsentRecord>> SociConsentRepository::FindGiven(
    std::string_view clinic_id, std::string_view client_id, v1::ConsentKind kind, bool lock) {
  try {
    std::string clinic(clinic_id), client(client_id);
    int kind_number = kind, given = v1::CONSENT_STATE_GIVEN;
    ConsentRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(kind_number));
    st.exchange(soci::use(given));
    st.alloc();
    std::string query = std::string(kSelect) +
                        "WHERE clinic_id = :clinic_id AND client_id = :client_id AND kind = :kind "
                        "AND state = :given";
    // SQLite has no row locks (and no FOR SHARE); its write transactions are serial anyway.
    if (lock && sql_.get_backend_name() == "postgresql") {
      query += " FOR SHARE";
    }
    st.prepare(query);
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.ToRecord();
  } catch (const std::exception& e) {
    return StatusFromException(e, lock ? "consents.lock_in_force" : "consents.find_in_force");
  }
}

absl::StatusOr<std::vector<ConsentRecord>> SociConsentRepository::ListOfClient(
    std::string_view clinic_id, std::string_view client_id, bool in_force_only) {
  try {
    std::string clinic(clinic_id), client(client_id);
    int given = v1::CONSENT_STATE_GIVEN;
    ConsentRow row;
    soci::statement st(sql_);
    BindInto(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    std::string query =
        std::string(kSelect) + "WHERE clinic_id = :clinic_id AND client_id = :client_id ";
    if (in_force_only) {
      st.exchange(soci::use(given));
      query += "AND state = :given ";
    }
    query += "ORDER BY give_time DESC, id DESC";
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    std::vector<ConsentRecord> consents;
    st.execute();
    while (st.fetch()) {
      consents.push_back(row.ToRecord());
    }
    return consents;
  } catch (const std::exception& e) {
    return StatusFromException(e, "consents.list_of_client");
  }
}

absl::Status SociConsentRepository::End(std::string_view clinic_id, std::string_view consent_id,
                                        v1::ConsentState state, absl::Time end_time,
                                        std::string_view withdrawn_by_user_id,
                                        v1::Role withdrawn_by_role) {
  try {
    std::string clinic(clinic_id), id(consent_id), withdrawn_by(withdrawn_by_user_id);
    int new_state = state, given = v1::CONSENT_STATE_GIVEN, by_role = withdrawn_by_role;
    long long end_micros = absl::ToUnixMicros(end_time);
    soci::statement st =
        (sql_.prepare << "UPDATE consents SET state = :state, end_time = :end_time, "
                         "withdrawn_by_user_id = :withdrawn_by, withdrawn_by_role = :by_role "
                         "WHERE clinic_id = :clinic_id AND id = :id AND state = :given",
         soci::use(new_state), soci::use(end_micros), soci::use(withdrawn_by), soci::use(by_role),
         soci::use(clinic), soci::use(id), soci::use(given));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::FailedPreconditionError("the consent is not in force");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "consents.end");
  }
}

}  // namespace confide::persistence
