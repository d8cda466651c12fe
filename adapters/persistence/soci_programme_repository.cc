#include "adapters/persistence/soci_programme_repository.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kProgrammeColumns[] =
    "SELECT id, clinic_id, client_id, latest_version, status, revision, time_zone, "
    "activate_time, create_time, created_by FROM programmes ";

constexpr char kVersionColumns[] =
    "SELECT programme_id, version, clinic_id, client_id, author_user_id, create_time, "
    "content_sealed FROM programme_versions ";

// The row a programme statement fetches into, bound once per statement.
struct ProgrammeRow {
  ProgrammeRecord record;
  long long activate_time = 0;
  long long create_time = 0;

  ProgrammeRecord Take() {
    ProgrammeRecord out = record;
    out.activate_time = activate_time == 0
                            ? std::nullopt
                            : std::optional<absl::Time>(absl::FromUnixMicros(activate_time));
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

struct VersionRow {
  ProgrammeVersionRecord record;
  long long create_time = 0;

  ProgrammeVersionRecord Take() {
    ProgrammeVersionRecord out = record;
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

void BindProgramme(soci::statement& st, ProgrammeRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.latest_version));
  st.exchange(soci::into(row.record.status));
  st.exchange(soci::into(row.record.revision));
  st.exchange(soci::into(row.record.time_zone));
  st.exchange(soci::into(row.activate_time));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.created_by));
}

void BindVersion(soci::statement& st, VersionRow& row) {
  st.exchange(soci::into(row.record.programme_id));
  st.exchange(soci::into(row.record.version));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.client_id));
  st.exchange(soci::into(row.record.author_user_id));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.content_sealed));
}

}  // namespace

absl::Status SociProgrammeRepository::Insert(const ProgrammeRecord& record,
                                             std::string_view create_request_id) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, client_id = record.client_id,
                time_zone = record.time_zone, created_by = record.created_by,
                request_id(create_request_id);
    int latest = record.latest_version, status = record.status, revision = record.revision;
    long long activate_time = record.activate_time ? absl::ToUnixMicros(*record.activate_time) : 0,
              create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO programmes (id, clinic_id, client_id, latest_version, status, revision, "
            "time_zone, activate_time, create_time, created_by, create_request_id) VALUES (:id, "
            ":clinic_id, :client_id, :latest, :status, :revision, :time_zone, :activate_time, "
            ":create_time, :created_by, :request_id)",
        soci::use(id), soci::use(clinic_id), soci::use(client_id), soci::use(latest),
        soci::use(status), soci::use(revision), soci::use(time_zone), soci::use(activate_time),
        soci::use(create_time), soci::use(created_by), soci::use(request_id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "programmes.insert");
  }
}

absl::Status SociProgrammeRepository::InsertVersion(const ProgrammeVersionRecord& record) {
  try {
    std::string programme_id = record.programme_id, clinic_id = record.clinic_id,
                client_id = record.client_id, author = record.author_user_id,
                content = record.content_sealed;
    int version = record.version;
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO programme_versions (programme_id, version, clinic_id, client_id, "
            "author_user_id, create_time, content_sealed) VALUES (:programme_id, :version, "
            ":clinic_id, :client_id, :author, :create_time, :content)",
        soci::use(programme_id), soci::use(version), soci::use(clinic_id), soci::use(client_id),
        soci::use(author), soci::use(create_time), soci::use(content);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "programme_versions.insert");
  }
}

absl::StatusOr<std::optional<ProgrammeRecord>> SociProgrammeRepository::Find(
    std::string_view clinic_id, std::string_view client_id, std::string_view programme_id) {
  try {
    std::string clinic(clinic_id), client(client_id), programme(programme_id);
    ProgrammeRow row;
    soci::statement st(sql_);
    BindProgramme(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(programme));
    st.alloc();
    st.prepare(std::string(kProgrammeColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id AND id = :id");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "programmes.find");
  }
}

absl::StatusOr<std::optional<ProgrammeRecord>> SociProgrammeRepository::FindByCreateRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  try {
    std::string clinic(clinic_id), request(request_id);
    ProgrammeRow row;
    soci::statement st(sql_);
    BindProgramme(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(request));
    st.alloc();
    st.prepare(std::string(kProgrammeColumns) +
               "WHERE clinic_id = :clinic_id AND create_request_id = :request_id "
               "AND create_request_id <> ''");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "programmes.find_by_create_request_id");
  }
}

absl::StatusOr<std::vector<ProgrammeRecord>> SociProgrammeRepository::ListOfClient(
    std::string_view clinic_id, std::string_view client_id, const std::vector<int>& statuses,
    std::string_view after_id, int limit) {
  try {
    std::string clinic(clinic_id), client(client_id), after(after_id);
    int max_rows = limit;
    // The statuses are integers, written into the SQL as such: nothing a caller typed.
    std::string status_filter;
    if (!statuses.empty()) {
      status_filter = absl::StrCat("AND status IN (", absl::StrJoin(statuses, ", "), ") ");
    }
    ProgrammeRow row;
    soci::statement st(sql_);
    BindProgramme(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(client));
    st.exchange(soci::use(after));
    st.exchange(soci::use(after));
    st.exchange(soci::use(max_rows));
    st.alloc();
    // Ids are UUIDv7: time-ordered, so id order is creation order (programmes_by_client).
    st.prepare(std::string(kProgrammeColumns) +
               "WHERE clinic_id = :clinic_id AND client_id = :client_id " + status_filter +
               "AND (:after1 = '' OR id < :after2) ORDER BY id DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<ProgrammeRecord> programmes;
    st.execute();
    while (st.fetch()) {
      programmes.push_back(row.Take());
    }
    return programmes;
  } catch (const std::exception& e) {
    return StatusFromException(e, "programmes.list_of_client");
  }
}

absl::StatusOr<std::optional<ProgrammeVersionRecord>> SociProgrammeRepository::FindVersion(
    std::string_view clinic_id, std::string_view programme_id, int version) {
  try {
    std::string clinic(clinic_id), programme(programme_id);
    int wanted = version;
    VersionRow row;
    soci::statement st(sql_);
    BindVersion(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(programme));
    st.exchange(soci::use(wanted));
    st.alloc();
    st.prepare(std::string(kVersionColumns) +
               "WHERE clinic_id = :clinic_id AND programme_id = :programme_id "
               "AND version = :version");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "programme_versions.find");
  }
}

absl::StatusOr<std::vector<ProgrammeVersionRecord>> SociProgrammeRepository::ListVersions(
    std::string_view clinic_id, std::string_view programme_id, int before_version, int limit) {
  try {
    std::string clinic(clinic_id), programme(programme_id);
    int before = before_version, max_rows = limit;
    VersionRow row;
    soci::statement st(sql_);
    BindVersion(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(programme));
    st.exchange(soci::use(before));
    st.exchange(soci::use(before));
    st.exchange(soci::use(max_rows));
    st.alloc();
    st.prepare(std::string(kVersionColumns) +
               "WHERE clinic_id = :clinic_id AND programme_id = :programme_id "
               "AND (:before1 = 0 OR version < :before2) ORDER BY version DESC LIMIT :limit");
    st.define_and_bind();
    std::vector<ProgrammeVersionRecord> versions;
    st.execute();
    while (st.fetch()) {
      versions.push_back(row.Take());
    }
    return versions;
  } catch (const std::exception& e) {
    return StatusFromException(e, "programme_versions.list");
  }
}

absl::Status SociProgrammeRepository::Update(const ProgrammeRecord& next, int expected_revision) {
  try {
    std::string clinic = next.clinic_id, programme = next.id, time_zone = next.time_zone;
    int latest = next.latest_version, status = next.status, expected = expected_revision;
    long long activate_time = next.activate_time ? absl::ToUnixMicros(*next.activate_time) : 0;
    soci::statement st =
        (sql_.prepare << "UPDATE programmes SET latest_version = :latest, status = :status, "
                         "time_zone = :time_zone, activate_time = :activate_time, "
                         "revision = revision + 1 WHERE clinic_id = :clinic_id AND id = :id "
                         "AND revision = :expected",
         soci::use(latest), soci::use(status), soci::use(time_zone), soci::use(activate_time),
         soci::use(clinic), soci::use(programme), soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      return absl::OkStatus();
    }
    int found = 0;
    sql_ << "SELECT CAST(COUNT(*) AS INTEGER) FROM programmes WHERE clinic_id = :clinic_id "
            "AND id = :id",
        soci::use(clinic), soci::use(programme), soci::into(found);
    if (found == 0) {
      return absl::NotFoundError("programme not found");
    }
    return absl::AbortedError("the programme was changed meanwhile; reload and retry");
  } catch (const std::exception& e) {
    return StatusFromException(e, "programmes.update");
  }
}

}  // namespace confide::persistence
