#include "services/api/method_table.h"

#include <cstdio>
#include <cstdlib>

#include "google/protobuf/descriptor.h"

namespace confide {
namespace {

[[noreturn]] void FailRegistration(const std::string& name, const char* why) {
  std::fprintf(stderr, "method table: %s: %s\n", name.c_str(), why);
  std::abort();
}

}  // namespace

void MethodTable::Insert(MethodSpec spec, const google::protobuf::Descriptor* request_type,
                         const google::protobuf::Descriptor* response_type) {
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(spec.full_name);
  if (method == nullptr) {
    FailRegistration(spec.full_name, "no such RPC in the generated descriptors");
  }
  if (method->input_type() != request_type || method->output_type() != response_type) {
    FailRegistration(spec.full_name, "request or response type differs from the proto");
  }
  if (!spec.is_public && !spec.action.has_value() && spec.target_client) {
    FailRegistration(spec.full_name, "a method that targets a client needs an action");
  }
  if (spec.prepare && spec.action.has_value()) {
    // It runs before the policy is asked: on a policy-checked method it would work for anyone.
    FailRegistration(spec.full_name, "a method with a policy action may not have a prepare step");
  }
  spec.descriptor = method;
  std::string name = spec.full_name;
  if (!methods_.emplace(std::move(name), std::move(spec)).second) {
    FailRegistration(method->full_name(), "registered twice");
  }
}

const MethodSpec* MethodTable::Find(std::string_view full_name) const {
  auto it = methods_.find(full_name);
  return it == methods_.end() ? nullptr : &it->second;
}

std::vector<const MethodSpec*> MethodTable::All() const {
  std::vector<const MethodSpec*> all;
  all.reserve(methods_.size());
  for (const auto& [name, spec] : methods_) {
    all.push_back(&spec);
  }
  return all;
}

}  // namespace confide
