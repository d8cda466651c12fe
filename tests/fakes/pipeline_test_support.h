#pragma once

// Seeding and calling helpers for tests that run real services behind the real Pipeline over
// the in-memory database. Each test keeps its own data (ids, emails, care teams); these only
// write it and make the calls.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "confide/v1/auth.pb.h"
#include "confide/v1/clients.pb.h"
#include "google/protobuf/message.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_errors.h"
#include "services/api/method_table.h"
#include "services/api/pipeline.h"
#include "services/audit/audit_event.h"
#include "services/auth/auth_service.h"
#include "services/auth/ports/user_repository.h"
#include "services/clients/ports/client_repository.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/crypto/ports/secret_box.h"
#include "services/storage/ports/unit_of_work.h"
#include "tests/fakes/in_memory_unit_of_work.h"

namespace confide {

// Inserts one clinic per id, named after its id.
inline absl::Status SeedClinics(UnitOfWork& uow, absl::Span<const std::string_view> ids,
                                absl::Time now) {
  for (std::string_view id : ids) {
    if (absl::Status s =
            uow.clinics().Insert({.id = std::string(id), .name = std::string(id)}, now);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// One row of a test's user table.
struct SeedUser {
  std::string_view id;
  std::string_view email;
  std::string_view clinic;
  v1::Role role;
  // The patient's client; empty for staff.
  std::string_view client_id;
  // The raw TOTP secret, sealed under TotpSecretContext(id); empty for none enrolled.
  std::string_view totp_secret;
};

// Inserts every user with `password_hash`, sealing TOTP secrets with `box`.
inline absl::Status SeedUsers(UnitOfWork& uow, absl::Span<const SeedUser> users,
                              std::string_view password_hash, const SecretBox& box,
                              absl::Time now) {
  for (const SeedUser& u : users) {
    UserRecord user{.password_hash = std::string(password_hash)};
    user.user.set_id(std::string(u.id));
    user.user.set_clinic_id(std::string(u.clinic));
    user.user.set_email(std::string(u.email));
    user.user.set_role(u.role);
    user.user.set_client_id(std::string(u.client_id));
    if (!u.totp_secret.empty()) {
      absl::StatusOr<std::string> sealed = box.Seal(u.totp_secret, TotpSecretContext(u.id));
      if (!sealed.ok()) {
        return sealed.status();
      }
      user.totp_secret_sealed = *sealed;
    }
    if (absl::Status s = uow.users().Insert(user, now); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// One row of a test's client table.
struct SeedClient {
  std::string_view id;
  std::string_view clinic;
  std::string_view given_name;
  std::vector<std::string_view> care_team;
};

// Inserts every client as an active "<given_name> Example" born 1990-01-05, with its care team.
inline absl::Status SeedClients(UnitOfWork& uow, absl::Span<const SeedClient> clients) {
  for (const SeedClient& c : clients) {
    ClientRecord record{.clinic_id = std::string(c.clinic)};
    record.client.set_id(std::string(c.id));
    record.client.set_legal_given_name(std::string(c.given_name));
    record.client.set_legal_family_name("Example");
    record.client.set_date_of_birth("1990-01-05");
    record.client.set_status(v1::CLIENT_STATUS_ACTIVE);
    for (std::string_view member : c.care_team) {
      record.client.add_care_team()->set_user_id(std::string(member));
    }
    if (absl::Status s = uow.clients().Insert(record, ""); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// A test's whole directory: its clinics, its users (all with one password hash) and its
// clients.
struct SeedDirectory {
  std::vector<std::string_view> clinics;
  std::vector<SeedUser> users;
  std::string password_hash;
  std::vector<SeedClient> clients;
};

// Inserts the clinics, then the users, then the clients.
inline absl::Status SeedAll(UnitOfWork& uow, const SeedDirectory& directory, const SecretBox& box,
                            absl::Time now) {
  if (absl::Status s = SeedClinics(uow, directory.clinics, now); !s.ok()) {
    return s;
  }
  if (absl::Status s = SeedUsers(uow, directory.users, directory.password_hash, box, now);
      !s.ok()) {
    return s;
  }
  return SeedClients(uow, directory.clients);
}

// Runs `method` through `pipeline` as `call` and returns its answer as a Response. Records a
// test failure when the method is not in the pipeline's table or answers with another type.
template <typename Response>
absl::StatusOr<Response> CallThroughPipeline(Pipeline& pipeline, std::string_view method,
                                             const google::protobuf::Message& request,
                                             const CallContext& call) {
  const MethodSpec* spec = pipeline.methods().Find(method);
  if (spec == nullptr) {
    ADD_FAILURE() << "not in the method table: " << method;
    return absl::InternalError("test called an unregistered method");
  }
  RpcResult result = pipeline.Execute(*spec, request, call);
  if (!result.ok()) {
    return result.status();
  }
  const auto* typed = dynamic_cast<const Response*>(result->get());
  if (typed == nullptr) {
    ADD_FAILURE() << method << " answered with " << (*result)->GetTypeName();
    return absl::InternalError("unexpected response type");
  }
  return *typed;
}

// The field paths a status's BadRequest payload names; empty when it carries none.
inline std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  // An absl::optional: Debian's abseil does not alias it to std::optional.
  auto payload = status.GetPayload(std::string(kBadRequestPayloadUrl));
  google::rpc::BadRequest details;
  if (payload.has_value() && details.ParseFromString(std::string(*payload))) {
    for (const auto& violation : details.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

// The newest committed audit event; records a test failure when there is none.
inline AuditEvent LastAuditEventOf(const InMemoryTransactionRunner& db) {
  std::vector<AuditEvent> events = db.AuditEvents();
  if (events.empty()) {
    ADD_FAILURE() << "no audit event was recorded";
    return AuditEvent();
  }
  return events.back();
}

}  // namespace confide
