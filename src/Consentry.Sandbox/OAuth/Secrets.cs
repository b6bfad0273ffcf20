using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Consentry.Sandbox.OAuth;

/// <summary>Opaque random values (codes, tokens), their stored hashes and fixed-time comparison.</summary>
internal static class Secrets
{
    /// <summary>256 random bits, base64url: nothing inside, so a token means only what the store says it means.</summary>
    public static string NewToken(string prefix = "") => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(a)), SHA256.HashData(Encoding.UTF8.GetBytes(b)));
}

/// <summary>Proof Key for Code Exchange (RFC 7636), S256 only.</summary>
internal static class Pkce
{
    public const string S256 = "S256";

    /// <summary>BASE64URL(SHA256(ASCII(code_verifier))).</summary>
    public static string Challenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>43 to 128 characters of [A-Z a-z 0-9 - . _ ~] (RFC 7636 §4.1).</summary>
    public static bool IsValidVerifier(string verifier) =>
        verifier.Length is >= 43 and <= 128 && verifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~');

    /// <summary>A S256 challenge is a base64url SHA-256: 43 characters.</summary>
    public static bool IsValidChallenge(string challenge) =>
        challenge.Length == 43 && challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static bool Verify(string verifier, string challenge) =>
        IsValidVerifier(verifier) && Secrets.FixedTimeEquals(Challenge(verifier), challenge);
}
