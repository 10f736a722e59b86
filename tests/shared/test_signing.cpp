// Ed25519 through OpenSSL against RFC 8032's test vectors, and the strict base64 keys and
// signatures travel as.

#include <gtest/gtest.h>

#include "rekap/signing.h"

using namespace rekap::signing;

namespace {
std::string bytes(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}
std::string b64(const std::string& hex) {
    return base64Encode(bytes(hex));
}
} // namespace

TEST(Signing, Rfc8032TestVectors) {
    struct Vector {
        std::string secret, publicKey, message, signature;
    };
    const std::vector<Vector> vectors = {
        {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701"
         "cf9b46bd25bf5f0595bbe24655141438e7a100b"},
        {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f361"
         "3d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    };
    for (const auto& v : vectors) {
        EXPECT_EQ(publicKeyOf(b64(v.secret)), b64(v.publicKey));
        EXPECT_EQ(sign(b64(v.secret), bytes(v.message)), b64(v.signature));
        EXPECT_TRUE(verify(b64(v.publicKey), bytes(v.message), b64(v.signature)));
        EXPECT_FALSE(verify(b64(v.publicKey), bytes(v.message) + "x", b64(v.signature)));
    }
}

TEST(Signing, AFreshPairSignsAndOnlyItsKeyVerifies) {
    auto a = generateKeyPair(), b = generateKeyPair();
    EXPECT_NE(a.privateKey, b.privateKey);
    EXPECT_TRUE(isPublicKey(a.publicKey));
    auto sig = sign(a.privateKey, "6306012001001/ppwp 119 105 9");
    EXPECT_TRUE(verify(a.publicKey, "6306012001001/ppwp 119 105 9", sig));
    EXPECT_FALSE(verify(b.publicKey, "6306012001001/ppwp 119 105 9", sig));
    EXPECT_FALSE(verify(a.publicKey, "6306012001001/ppwp 9 105 119", sig));
    auto damaged = *base64Decode(sig);
    damaged[10] ^= 1;
    EXPECT_FALSE(verify(a.publicKey, "6306012001001/ppwp 119 105 9", base64Encode(damaged)));
}

TEST(Signing, MalformedKeysAndSignaturesNeverVerify) {
    auto a = generateKeyPair();
    auto sig = sign(a.privateKey, "m");
    EXPECT_FALSE(verify("", "m", sig));
    EXPECT_FALSE(verify("not base64!", "m", sig));
    EXPECT_FALSE(verify(base64Encode(std::string(31, 'k')), "m", sig));
    EXPECT_FALSE(verify(a.publicKey, "m", ""));
    EXPECT_FALSE(verify(a.publicKey, "m", sig.substr(4)));
    EXPECT_THROW(sign("short", "m"), std::invalid_argument);
    EXPECT_THROW(publicKeyOf(base64Encode(std::string(33, 'k'))), std::invalid_argument);
}

TEST(Signing, Base64IsStandardAndStrict) {
    EXPECT_EQ(base64Encode(""), "");
    EXPECT_EQ(base64Encode("f"), "Zg==");
    EXPECT_EQ(base64Encode("fo"), "Zm8=");
    EXPECT_EQ(base64Encode("foo"), "Zm9v");
    EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64Encode(bytes("fbff")), "+/8=");
    EXPECT_EQ(*base64Decode("Zm9vYg=="), "foob");
    EXPECT_EQ(*base64Decode("+/8="), bytes("fbff"));
    EXPECT_FALSE(base64Decode("Zm9vYg"));     // padding required
    EXPECT_FALSE(base64Decode("Zm9vYh=="));   // non-zero bits under the padding
    EXPECT_FALSE(base64Decode("Zm=vYg=="));   // padding inside
    EXPECT_FALSE(base64Decode("Zm9v\nYg==")); // no line breaks
    EXPECT_FALSE(base64Decode("Zm9-"));       // not the URL alphabet
}

TEST(Signing, FingerprintIsShortAndStable) {
    auto key = b64("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    auto fp = fingerprint(key);
    EXPECT_EQ(fp.size(), 19u);
    EXPECT_EQ(fp, fingerprint(key));
    EXPECT_NE(fp, fingerprint(generateKeyPair().publicKey));
}
