#include "adapters/persistence/soci_care_team_repository.h"

#include <string>

#include "adapters/persistence/soci_errors.h"
#include "soci/soci.h"

namespace confide::persistence {
namespace {

// Clears the primary flag of every member of the client's team but `keep_user_id`.
void ClearOtherPrimaries(soci::session& sql, std::string& client_id, std::string& keep_user_id) {
  sql << "UPDATE care_team_members SET is_primary = 0 WHERE client_id = :client_id "
         "AND user_id <> :user_id AND is_primary <> 0",
      soci::use(client_id), soci::use(keep_user_id);
}

}  // namespace

absl::StatusOr<std::vector<CareTeamMemberRecord>> SociCareTeamRepository::List(
    std::string_view client_id) {
  try {
    std::string client(client_id), found_client, user;
    int is_primary = 0;
    long long added_time = 0;
    soci::statement st =
        (sql_.prepare << "SELECT client_id, user_id, is_primary, added_time FROM care_team_members "
                         "WHERE client_id = :client_id ORDER BY user_id",
         soci::into(found_client), soci::into(user), soci::into(is_primary), soci::into(added_time),
         soci::use(client));
    std::vector<CareTeamMemberRecord> members;
    st.execute();
    while (st.fetch()) {
      members.push_back({.client_id = found_client,
                         .user_id = user,
                         .is_primary = is_primary != 0,
                         .added_time = absl::FromUnixMicros(added_time)});
    }
    return members;
  } catch (const std::exception& e) {
    return StatusFromException(e, "care_team_members.list");
  }
}

absl::Status SociCareTeamRepository::Add(const CareTeamMemberRecord& member) {
  try {
    std::string client = member.client_id, user = member.user_id;
    int is_primary = member.is_primary ? 1 : 0;
    long long added_time = absl::ToUnixMicros(member.added_time);
    sql_ << "INSERT INTO care_team_members (client_id, user_id, is_primary, added_time) "
            "VALUES (:client_id, :user_id, :is_primary, :added_time)",
        soci::use(client), soci::use(user), soci::use(is_primary), soci::use(added_time);
    if (member.is_primary) {
      // At most one primary per client.
      ClearOtherPrimaries(sql_, client, user);
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "care_team_members.add");
  }
}

absl::Status SociCareTeamRepository::Remove(std::string_view client_id, std::string_view user_id) {
  try {
    std::string client(client_id), user(user_id);
    soci::statement st = (sql_.prepare << "DELETE FROM care_team_members "
                                          "WHERE client_id = :client_id AND user_id = :user_id",
                          soci::use(client), soci::use(user));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("not on the care team");
    }
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "care_team_members.remove");
  }
}

absl::Status SociCareTeamRepository::SetPrimary(std::string_view client_id,
                                                std::string_view user_id) {
  try {
    std::string client(client_id), user(user_id);
    // The new primary first: when they are not on the team nothing has changed yet.
    soci::statement st = (sql_.prepare << "UPDATE care_team_members SET is_primary = 1 "
                                          "WHERE client_id = :client_id AND user_id = :user_id",
                          soci::use(client), soci::use(user));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::NotFoundError("not on the care team");
    }
    ClearOtherPrimaries(sql_, client, user);
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return StatusFromException(e, "care_team_members.set_primary");
  }
}

}  // namespace confide::persistence
