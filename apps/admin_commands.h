#pragma once

#include <string>

#include "services/crypto/ports/secret_box.h"
#include "services/storage/ports/unit_of_work.h"

namespace confide::app {

// `confidectl clinic create`: a platform operator creates a clinic with the starter exercise
// library and queues the invitation of its first admin in the outbox. Refuses a database that
// holds the demo clinic. Returns the process exit code.
int CreateClinic(TransactionRunner& transactions, const SecretBox& box, const std::string& name,
                 const std::string& admin_email, const std::string& admin_name);

// `confidectl exercises seed --clinic-id`: adds the starter exercises a clinic does not have
// yet (for clinics created before the starter set, or before one was added to it); running it
// again changes nothing. NOT_FOUND for an unknown clinic. Returns the process exit code.
int SeedClinicExercises(TransactionRunner& transactions, const std::string& clinic_id);

// `confidectl outbox list`: prints the unsent messages, one JSON object a line
// ({"id","kind","to","token","createTime"}), for the mail relay (or a developer) to deliver.
int ListOutbox(TransactionRunner& transactions, const SecretBox& box);

// `confidectl outbox mark-sent --id`: records that the relay delivered a message.
int MarkOutboxSent(TransactionRunner& transactions, const std::string& id);

// `confidectl keys rotate`: in one transaction, re-seals under `to` every value sealed by the
// master key that is not under it yet, opening them with `from` (RotateMasterKey in
// services/crypto/master_key_rotation.h), and prints the count of each column. On any failure
// nothing changes. Returns the process exit code.
int RotateKeys(TransactionRunner& transactions, const SecretBox& from, const SecretBox& to);

}  // namespace confide::app
