// The patient's access report words every kind of request in plain language: every RPC of the
// real method table has wording, so a new RPC cannot reach the report unworded.

#include "services/audit/access_wording.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/registered_methods.h"

namespace confide {
namespace {

TEST(AccessWordingTest, EveryRegisteredRpcHasWording) {
  RegisteredMethodTable methods;
  ASSERT_GT(methods.table().All().size(), 90u);
  for (const MethodSpec* spec : methods.table().All()) {
    SCOPED_TRACE(spec->full_name);
    std::optional<AccessWording> wording = WordingForAction(spec->full_name);
    ASSERT_TRUE(wording.has_value()) << "add its wording to services/audit/access_wording.cc";
    EXPECT_NE(wording->kind, v1::RECORD_ACCESS_KIND_UNSPECIFIED);
    EXPECT_NE(wording->kind, v1::RECORD_ACCESS_KIND_REFUSED) << "refusal is the outcome's word";
    EXPECT_FALSE(wording->done.empty());
    EXPECT_FALSE(wording->attempted.empty());
  }
}

// Client-level RPCs (those the policy decides on a record) are what the report mostly shows:
// their wording speaks to the patient about her record, never in the RPC's own terms.
TEST(AccessWordingTest, ClientLevelWordingIsPlainLanguage) {
  RegisteredMethodTable methods;
  for (const MethodSpec* spec : methods.table().All()) {
    if (!spec->target_client) {
      continue;
    }
    SCOPED_TRACE(spec->full_name);
    const std::string done(WordingForAction(spec->full_name)->done);
    EXPECT_EQ(done.find("confide."), std::string::npos);
    EXPECT_EQ(done.find("RPC"), std::string::npos);
    EXPECT_TRUE(islower(static_cast<unsigned char>(done[0]))) << "reads after a name: " << done;
  }
}

TEST(AccessWordingTest, KindsFollowWhatTheRequestDoes) {
  EXPECT_EQ(WordingForAction("confide.v1.ClientService.GetClient")->kind,
            v1::RECORD_ACCESS_KIND_VIEWED);
  EXPECT_EQ(WordingForAction("confide.v1.ProgrammeService.UpdateProgramme")->kind,
            v1::RECORD_ACCESS_KIND_CHANGED);
  EXPECT_EQ(WordingForAction("confide.v1.RecordService.ExportClientRecord")->kind,
            v1::RECORD_ACCESS_KIND_EXPORTED);
  EXPECT_EQ(WordingForAction("confide.v1.RecordService.EraseClientData")->kind,
            v1::RECORD_ACCESS_KIND_ERASED);
  EXPECT_EQ(WordingForAction("confide.v1.BreakGlassService.BreakGlass")->kind,
            v1::RECORD_ACCESS_KIND_BREAK_GLASS);
}

TEST(AccessWordingTest, DescribesDoneAndRefusedAccess) {
  EXPECT_EQ(DescribeAccess("confide.v1.ProgrammeService.GetProgramme", false),
            "viewed your home programme");
  EXPECT_EQ(DescribeAccess("confide.v1.ProgrammeService.GetProgramme", true),
            "tried to view your home programme and was refused");
}

// An event written by a later version (an RPC this build does not know) still reads as access.
TEST(AccessWordingTest, UnknownActionReadsAsAccess) {
  EXPECT_FALSE(WordingForAction("confide.v9.Future.Thing").has_value());
  EXPECT_EQ(DescribeAccess("confide.v9.Future.Thing", false), "accessed your record");
  EXPECT_EQ(DescribeAccess("confide.v9.Future.Thing", true),
            "tried to access your record and was refused");
}

}  // namespace
}  // namespace confide
