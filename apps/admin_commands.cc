#include "apps/admin_commands.h"

#include <cstdio>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "adapters/crypto/uuid7_id_generator.h"
#include "nlohmann/json.hpp"
#include "services/auth/invitations.h"
#include "services/clinics/ports/clinic_repository.h"
#include "services/common/system_clock.h"
#include "services/crypto/master_key_rotation.h"
#include "services/demo/demo_clinic.h"
#include "services/exercises/starter_exercises.h"
#include "services/messaging/ports/outbox.h"

namespace confide::app {
namespace {

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "confidectl: %s\n", status.ToString().c_str());
  return 1;
}

const char* KindName(MessageKind kind) {
  switch (kind) {
    case MessageKind::kStaffInvitation:
      return "staff_invitation";
    case MessageKind::kPatientInvitation:
      return "patient_invitation";
    case MessageKind::kPartnerInvitation:
      return "partner_invitation";
    case MessageKind::kPasswordReset:
      return "password_reset";
  }
  return "unknown";
}

}  // namespace

int CreateClinic(TransactionRunner& transactions, const SecretBox& box, const std::string& name,
                 const std::string& admin_email, const std::string& admin_name) {
  SystemClock clock;
  Uuid7IdGenerator ids(clock);
  OpenSslSecretGenerator secrets;
  const absl::Time now = clock.Now();
  const std::string clinic_id = ids.NewId();
  absl::Status created = transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<ClinicRecord>> demo = uow.clinics().Find(kDemoClinicId);
    if (!demo.ok()) {
      return demo.status();
    }
    if (demo->has_value()) {
      // The demo accounts' password and TOTP secret are published.
      return absl::FailedPreconditionError(
          "this database holds the demo clinic; real clinics need a database of their own");
    }
    if (absl::Status s = uow.clinics().Insert(
            ClinicRecord{.id = clinic_id, .name = name, .is_demo = false}, now);
        !s.ok()) {
      return s;
    }
    if (absl::Status s = SeedStarterExercises(uow, ids, clinic_id, now); !s.ok()) {
      return s;
    }
    OneTimeTokenRecord record;
    record.purpose = TokenPurpose::kStaffInvitation;
    record.clinic_id = clinic_id;
    record.email = absl::AsciiStrToLower(admin_email);
    record.display_name = admin_name;
    record.role = v1::ROLE_ADMIN;
    record.created_by = "confidectl";
    const std::string recipient = record.email;
    return IssueOneTimeToken(uow, secrets, ids, box, std::move(record), recipient, now,
                             kInvitationLifetime)
        .status();
  });
  if (!created.ok()) {
    return Fail(created);
  }
  std::printf(
      "clinic %s created; the first admin's invitation is in the outbox "
      "(confidectl outbox list)\n",
      clinic_id.c_str());
  return 0;
}

int SeedClinicExercises(TransactionRunner& transactions, const std::string& clinic_id) {
  SystemClock clock;
  Uuid7IdGenerator ids(clock);
  int added = 0;
  absl::Status seeded = transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
    absl::StatusOr<std::optional<ClinicRecord>> clinic = uow.clinics().Find(clinic_id);
    if (!clinic.ok()) {
      return clinic.status();
    }
    if (!clinic->has_value()) {
      return absl::NotFoundError("no clinic has that id");
    }
    return SeedStarterExercises(uow, ids, clinic_id, clock.Now(), &added);
  });
  if (!seeded.ok()) {
    return Fail(seeded);
  }
  std::printf("%d starter exercises added to clinic %s\n", added, clinic_id.c_str());
  return 0;
}

int ListOutbox(TransactionRunner& transactions, const SecretBox& box) {
  std::vector<OutboundMessage> pending;
  absl::Status read = transactions.Run(TransactionMode::kRead, [&](UnitOfWork& uow) {
    absl::StatusOr<std::vector<OutboundMessage>> found = uow.outbox().ListPending(1000);
    if (!found.ok()) {
      return found.status();
    }
    pending = *std::move(found);
    return absl::OkStatus();
  });
  if (!read.ok()) {
    return Fail(read);
  }
  for (const OutboundMessage& message : pending) {
    absl::StatusOr<std::string> token =
        box.Open(message.token_sealed, OutboundTokenContext(message.id));
    if (!token.ok()) {
      // One unreadable row (sealed under an older master key) must not stop every delivery.
      std::fprintf(stderr, "confidectl: skipping message %s: %s\n", message.id.c_str(),
                   token.status().ToString().c_str());
      continue;
    }
    nlohmann::json line = {{"id", message.id},
                           {"kind", KindName(message.kind)},
                           {"to", message.recipient_email},
                           {"token", *token},
                           {"createTime", absl::FormatTime(message.create_time)}};
    std::printf("%s\n", line.dump().c_str());
  }
  return 0;
}

int MarkOutboxSent(TransactionRunner& transactions, const std::string& id) {
  bool marked = false;
  absl::Status written = transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
    absl::StatusOr<bool> sent = uow.outbox().MarkSent(id, absl::Now());
    if (!sent.ok()) {
      return sent.status();
    }
    marked = *sent;
    return absl::OkStatus();
  });
  if (!written.ok()) {
    return Fail(written);
  }
  if (!marked) {
    return Fail(absl::NotFoundError("no unsent message with this id"));
  }
  return 0;
}

int RotateKeys(TransactionRunner& transactions, const SecretBox& from, const SecretBox& to) {
  std::vector<ColumnRotation> report;
  absl::Status rotated = transactions.Run(TransactionMode::kWrite, [&](UnitOfWork& uow) {
    absl::StatusOr<std::vector<ColumnRotation>> done = RotateMasterKey(uow, from, to);
    if (!done.ok()) {
      return done.status();
    }
    report = *std::move(done);
    return absl::OkStatus();
  });
  if (!rotated.ok()) {
    if (rotated.code() == absl::StatusCode::kUnavailable) {
      // The connection may have failed during COMMIT: whether it committed is not known, and
      // "nothing was changed" could lead an operator to destroy the new key while data keys are
      // sealed under it. A repeated run settles it (it re-seals only what is not yet rotated).
      std::fprintf(stderr,
                   "confidectl: the database became unavailable; the rotation may or may not "
                   "have been committed: keep both key files and run the same command again\n");
    } else {
      std::fprintf(stderr, "confidectl: nothing was changed\n");
    }
    return Fail(rotated);
  }
  int resealed = 0;
  for (const ColumnRotation& column : report) {
    const std::string name(MasterSealedColumnName(column.column));
    std::printf("%s: %d re-sealed, %d already under the new key\n", name.c_str(), column.resealed,
                column.already_rotated);
    resealed += column.resealed;
  }
  std::printf(
      "rotation committed (%d values re-sealed); run the servers with the new key as "
      "auth.master_key_file\n",
      resealed);
  return 0;
}

}  // namespace confide::app
