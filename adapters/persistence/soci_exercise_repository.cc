#include "adapters/persistence/soci_exercise_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

constexpr char kExerciseColumns[] =
    "SELECT id, clinic_id, latest_version, title, category, archived, starter_key, create_time, "
    "created_by FROM exercises ";

constexpr char kVersionColumns[] =
    "SELECT exercise_id, version, clinic_id, author_user_id, create_time, content_json "
    "FROM exercise_versions ";

// The row an exercise statement fetches into, bound once per statement. Integer columns are
// INTEGER in both dialects (int); times are BIGINT (long long).
struct ExerciseRow {
  ExerciseRecord record;
  int archived = 0;
  long long create_time = 0;

  ExerciseRecord Take() {
    ExerciseRecord out = record;
    out.archived = archived != 0;
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

struct VersionRow {
  ExerciseVersionRecord record;
  long long create_time = 0;

  ExerciseVersionRecord Take() {
    ExerciseVersionRecord out = record;
    out.create_time = absl::FromUnixMicros(create_time);
    return out;
  }
};

void BindExercise(soci::statement& st, ExerciseRow& row) {
  st.exchange(soci::into(row.record.id));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.latest_version));
  st.exchange(soci::into(row.record.title));
  st.exchange(soci::into(row.record.category));
  st.exchange(soci::into(row.archived));
  st.exchange(soci::into(row.record.starter_key));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.created_by));
}

void BindVersion(soci::statement& st, VersionRow& row) {
  st.exchange(soci::into(row.record.exercise_id));
  st.exchange(soci::into(row.record.version));
  st.exchange(soci::into(row.record.clinic_id));
  st.exchange(soci::into(row.record.author_user_id));
  st.exchange(soci::into(row.create_time));
  st.exchange(soci::into(row.record.content_json));
}

// One exercise found by `where` (which binds clinic_id and one more text value).
absl::StatusOr<std::optional<ExerciseRecord>> FindOne(soci::session& sql,
                                                      std::string_view clinic_id,
                                                      std::string_view value, const char* where,
                                                      const char* context) {
  try {
    std::string clinic(clinic_id), wanted(value);
    ExerciseRow row;
    soci::statement st(sql);
    BindExercise(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(wanted));
    st.alloc();
    st.prepare(std::string(kExerciseColumns) + where);
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, context);
  }
}

}  // namespace

absl::Status SociExerciseRepository::Insert(const ExerciseRecord& record,
                                            std::string_view create_request_id) {
  try {
    std::string id = record.id, clinic_id = record.clinic_id, title = record.title,
                starter_key = record.starter_key, created_by = record.created_by,
                request_id(create_request_id);
    int latest = record.latest_version, category = record.category,
        archived = record.archived ? 1 : 0;
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO exercises (id, clinic_id, latest_version, title, category, archived, "
            "starter_key, create_time, created_by, create_request_id) VALUES (:id, :clinic_id, "
            ":latest, :title, :category, :archived, :starter_key, :create_time, :created_by, "
            ":request_id)",
        soci::use(id), soci::use(clinic_id), soci::use(latest), soci::use(title),
        soci::use(category), soci::use(archived), soci::use(starter_key), soci::use(create_time),
        soci::use(created_by), soci::use(request_id);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "exercises.insert");
  }
}

absl::Status SociExerciseRepository::InsertVersion(const ExerciseVersionRecord& record) {
  try {
    std::string exercise_id = record.exercise_id, clinic_id = record.clinic_id,
                author = record.author_user_id, content = record.content_json;
    int version = record.version;
    long long create_time = absl::ToUnixMicros(record.create_time);
    sql_ << "INSERT INTO exercise_versions (exercise_id, version, clinic_id, author_user_id, "
            "create_time, content_json) VALUES (:exercise_id, :version, :clinic_id, :author, "
            ":create_time, :content)",
        soci::use(exercise_id), soci::use(version), soci::use(clinic_id), soci::use(author),
        soci::use(create_time), soci::use(content);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "exercise_versions.insert");
  }
}

absl::StatusOr<std::optional<ExerciseRecord>> SociExerciseRepository::Find(
    std::string_view clinic_id, std::string_view exercise_id) {
  return FindOne(sql_, clinic_id, exercise_id, "WHERE clinic_id = :clinic_id AND id = :id",
                 "exercises.find");
}

absl::StatusOr<std::optional<ExerciseRecord>> SociExerciseRepository::FindByCreateRequestId(
    std::string_view clinic_id, std::string_view request_id) {
  if (request_id.empty()) {
    return std::nullopt;
  }
  return FindOne(sql_, clinic_id, request_id,
                 "WHERE clinic_id = :clinic_id AND create_request_id = :request_id "
                 "AND create_request_id <> ''",
                 "exercises.find_by_create_request_id");
}

absl::StatusOr<std::optional<ExerciseRecord>> SociExerciseRepository::FindByStarterKey(
    std::string_view clinic_id, std::string_view starter_key) {
  if (starter_key.empty()) {
    return std::nullopt;
  }
  return FindOne(sql_, clinic_id, starter_key,
                 "WHERE clinic_id = :clinic_id AND starter_key = :starter_key "
                 "AND starter_key <> ''",
                 "exercises.find_by_starter_key");
}

absl::StatusOr<std::vector<ExerciseRecord>> SociExerciseRepository::List(
    const ExerciseListQuery& query) {
  try {
    std::string clinic = query.clinic_id, after_title = query.after_title,
                after_id = query.after_id;
    int category = query.category, with_archived = query.include_archived ? 1 : 0,
        max_rows = query.limit;
    ExerciseRow row;
    soci::statement st(sql_);
    BindExercise(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(category));
    st.exchange(soci::use(category));
    st.exchange(soci::use(with_archived));
    st.exchange(soci::use(after_id));
    st.exchange(soci::use(after_title));
    st.exchange(soci::use(after_title));
    st.exchange(soci::use(after_id));
    st.exchange(soci::use(max_rows));
    st.alloc();
    // Walks exercises_by_title (clinic_id, title, id) from the cursor; the filters on category
    // and archived drop rows as they pass, which a clinic's library (tens to hundreds of rows)
    // makes cheap.
    st.prepare(std::string(kExerciseColumns) +
               "WHERE clinic_id = :clinic_id AND (:category1 = 0 OR category = :category2) "
               "AND (:with_archived = 1 OR archived = 0) "
               "AND (:after_id1 = '' OR title > :after_title1 "
               "OR (title = :after_title2 AND id > :after_id2)) "
               "ORDER BY title, id LIMIT :limit");
    st.define_and_bind();
    std::vector<ExerciseRecord> exercises;
    st.execute();
    while (st.fetch()) {
      exercises.push_back(row.Take());
    }
    return exercises;
  } catch (const std::exception& e) {
    return StatusFromException(e, "exercises.list");
  }
}

absl::StatusOr<std::optional<ExerciseVersionRecord>> SociExerciseRepository::FindVersion(
    std::string_view clinic_id, std::string_view exercise_id, int version) {
  try {
    std::string clinic(clinic_id), exercise(exercise_id);
    int wanted = version;
    VersionRow row;
    soci::statement st(sql_);
    BindVersion(st, row);
    st.exchange(soci::use(clinic));
    st.exchange(soci::use(exercise));
    st.exchange(soci::use(wanted));
    st.alloc();
    st.prepare(std::string(kVersionColumns) +
               "WHERE clinic_id = :clinic_id AND exercise_id = :exercise_id "
               "AND version = :version");
    st.define_and_bind();
    if (!st.execute(true)) {
      return std::nullopt;
    }
    return row.Take();
  } catch (const std::exception& e) {
    return StatusFromException(e, "exercise_versions.find");
  }
}

absl::Status SociExerciseRepository::AdvanceLatest(std::string_view clinic_id,
                                                   std::string_view exercise_id, int expected,
                                                   int next, std::string_view title, int category,
                                                   bool archived) {
  try {
    std::string clinic(clinic_id), exercise(exercise_id), new_title(title);
    int from = expected, to = next, new_category = category, new_archived = archived ? 1 : 0;
    soci::statement st =
        (sql_.prepare << "UPDATE exercises SET latest_version = :next, title = :title, "
                         "category = :category, archived = :archived WHERE clinic_id = :clinic_id "
                         "AND id = :id AND latest_version = :expected",
         soci::use(to), soci::use(new_title), soci::use(new_category), soci::use(new_archived),
         soci::use(clinic), soci::use(exercise), soci::use(from));
    st.execute(true);
    if (st.get_affected_rows() > 0) {
      return absl::OkStatus();
    }
    int found = 0;
    sql_ << "SELECT CAST(COUNT(*) AS INTEGER) FROM exercises WHERE clinic_id = :clinic_id "
            "AND id = :id",
        soci::use(clinic), soci::use(exercise), soci::into(found);
    if (found == 0) {
      return absl::NotFoundError("exercise not found");
    }
    return absl::AbortedError("the exercise has a newer version");
  } catch (const std::exception& e) {
    return StatusFromException(e, "exercises.advance_latest");
  }
}

}  // namespace confide::persistence
