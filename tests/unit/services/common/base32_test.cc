#include "services/common/base32.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace confide {
namespace {

struct Vector {
  const char* bytes;
  const char* text;
};

// RFC 4648 section 10, with the '=' padding removed.
constexpr Vector kRfc4648Vectors[] = {
    {"", ""},
    {"f", "MY"},
    {"fo", "MZXQ"},
    {"foo", "MZXW6"},
    {"foob", "MZXW6YQ"},
    {"fooba", "MZXW6YTB"},
    {"foobar", "MZXW6YTBOI"},
};

TEST(Base32Test, EncodesTheRfc4648VectorsWithoutPadding) {
  for (const Vector& vector : kRfc4648Vectors) {
    EXPECT_EQ(Base32Encode(vector.bytes), vector.text) << vector.bytes;
  }
}

TEST(Base32Test, DecodesTheRfc4648VectorsWithAndWithoutPadding) {
  const Vector padded[] = {
      {"f", "MY======"},    {"fo", "MZXQ===="},    {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI======"},
  };
  for (const Vector& vector : padded) {
    EXPECT_EQ(Base32Decode(vector.text), std::optional<std::string>(vector.bytes)) << vector.text;
  }
  for (const Vector& vector : kRfc4648Vectors) {
    EXPECT_EQ(Base32Decode(vector.text), std::optional<std::string>(vector.bytes)) << vector.text;
  }
}

TEST(Base32Test, DecodesATypicalAuthenticatorSecret) {
  EXPECT_EQ(Base32Decode("JBSWY3DPEHPK3PXP"), std::string("Hello!\xDE\xAD\xBE\xEF"));
}

TEST(Base32Test, DecodingIgnoresCaseAndSpaces) {
  EXPECT_EQ(Base32Decode("jbsw y3dp ehpk 3pxp"), std::string("Hello!\xDE\xAD\xBE\xEF"));
  EXPECT_EQ(Base32Decode(" MZXW6YTBOI "), std::string("foobar"));
  EXPECT_EQ(Base32Decode("mZxW6yTbOi"), std::string("foobar"));
}

TEST(Base32Test, RoundTripsEveryByteValueAndEveryLength) {
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) {
    all_bytes.push_back(static_cast<char>(i));
  }
  for (size_t length = 0; length <= all_bytes.size(); ++length) {
    const std::string bytes = all_bytes.substr(all_bytes.size() - length);
    const std::string text = Base32Encode(bytes);
    EXPECT_EQ(text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    EXPECT_EQ(Base32Decode(text), bytes) << text;
  }
}

TEST(Base32Test, DecodingRejectsCharactersOutsideTheAlphabet) {
  EXPECT_EQ(Base32Decode("MZXW6YT1"), std::nullopt);  // '1' is not base32 ('I' and 'L' are).
  EXPECT_EQ(Base32Decode("MZXW6YT8"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6YT0"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW-6YTB"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW\t6YTB"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6YTB\n"), std::nullopt);
  EXPECT_EQ(Base32Decode(std::string("MZXW\0", 5)), std::nullopt);
  EXPECT_EQ(Base32Decode("MZ\xC3\x89W6YTB"), std::nullopt);
}

TEST(Base32Test, DecodingRejectsPaddingBeforeTheEnd) {
  EXPECT_EQ(Base32Decode("MY======MY"), std::nullopt);
  EXPECT_EQ(Base32Decode("M=Y"), std::nullopt);
}

TEST(Base32Test, DecodingRejectsLengthsNoEncodingProduces) {
  EXPECT_EQ(Base32Decode("M"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZX"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6Y"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6YTBM"), std::nullopt);
  EXPECT_EQ(Base32Decode("M======="), std::nullopt);
}

TEST(Base32Test, DecodingRejectsNonZeroLeftoverBits) {
  // "MY" is "f"; "MZ" sets one of the two bits that do not belong to any byte.
  EXPECT_EQ(Base32Decode("MZ"), std::nullopt);
}

TEST(Base32Test, EmptyAndPaddingOnlyInputsDecodeToNothing) {
  EXPECT_EQ(Base32Decode(""), std::string());
  EXPECT_EQ(Base32Decode("  "), std::string());
  EXPECT_EQ(Base32Decode("========"), std::string());
}

}  // namespace
}  // namespace confide
