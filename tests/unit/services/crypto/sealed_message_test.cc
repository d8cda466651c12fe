#include "services/crypto/sealed_message.h"

#include <string>

#include "absl/strings/match.h"
#include "adapters/crypto/openssl_secret_generator.h"
#include "confide/v1/intake.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/fakes/clinical_test_support.h"

namespace confide {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kClinic[] = "clinic-a";
constexpr char kJo[] = "client-jo";
constexpr FieldLocation kAnswers{"intakes", "answers_sealed", "client-jo"};

v1::Intake Answers() {
  v1::Intake intake;
  intake.set_hopes("to use a tampon without fear");
  intake.mutable_presenting_problem()->add_conditions(v1::PAIN_CONDITION_PRIMARY_VAGINISMUS);
  return intake;
}

class SealedMessageTest : public EnvelopeCipherTest<OpenSslSecretGenerator> {};

TEST_F(SealedMessageTest, RoundTripsAMessageWithoutPlaintextInTheSealedText) {
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher_, uow_, kClinic, kJo, kAnswers, Answers());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  EXPECT_FALSE(absl::StrContains(*sealed, "tampon"));
  v1::Intake opened;
  ASSERT_TRUE(OpenMessage(cipher_, uow_, kClinic, kJo, kAnswers, *sealed, &opened).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(opened, Answers()));
}

TEST_F(SealedMessageTest, OpeningReplacesWhatTheOutputHeld) {
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher_, uow_, kClinic, kJo, kAnswers, Answers());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  v1::Intake opened;
  opened.set_pronouns("left over");
  ASSERT_TRUE(OpenMessage(cipher_, uow_, kClinic, kJo, kAnswers, *sealed, &opened).ok());
  EXPECT_TRUE(opened.pronouns().empty());
}

TEST_F(SealedMessageTest, UnknownFieldsAreDroppedOnOpening) {
  v1::Intake with_unknown = Answers();
  with_unknown.GetReflection()->MutableUnknownFields(&with_unknown)->AddVarint(9999, 1);
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher_, uow_, kClinic, kJo, kAnswers, with_unknown);
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  v1::Intake opened;
  ASSERT_TRUE(OpenMessage(cipher_, uow_, kClinic, kJo, kAnswers, *sealed, &opened).ok());
  EXPECT_TRUE(opened.GetReflection()->GetUnknownFields(opened).empty());
  EXPECT_EQ(opened.hopes(), "to use a tampon without fear");
}

TEST_F(SealedMessageTest, PlaintextThatIsNotTheMessageIsDataLossNamingOnlyTheColumn) {
  // Field 1 with wire type 7, which no protobuf encoder writes.
  absl::StatusOr<std::string> sealed = cipher_.Seal(uow_, kClinic, kJo, kAnswers, "\x0f tampon");
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  v1::Intake opened;
  const absl::Status status = OpenMessage(cipher_, uow_, kClinic, kJo, kAnswers, *sealed, &opened);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(status.message(), "intakes.answers_sealed"));
  EXPECT_FALSE(absl::StrContains(status.message(), "tampon"));
}

TEST_F(SealedMessageTest, TheCipherRefusalIsReturnedAsItIs) {
  absl::StatusOr<std::string> sealed =
      SealMessage(cipher_, uow_, kClinic, kJo, kAnswers, Answers());
  ASSERT_TRUE(sealed.ok()) << sealed.status();
  const FieldLocation elsewhere{"intakes", "clinician_summary_sealed", "client-jo"};
  v1::Intake opened;
  EXPECT_EQ(OpenMessage(cipher_, uow_, kClinic, kJo, elsewhere, *sealed, &opened).code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace confide
