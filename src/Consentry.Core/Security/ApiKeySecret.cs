using System.Security.Cryptography;
using System.Text;

namespace Consentry.Core.Security;

/// <summary>
/// Generates and hashes API keys. Keys carry 256 random bits, so one SHA-256 pass is enough (no slow KDF needed:
/// there is nothing to brute-force), and lookups by hash stay index-fast.
/// </summary>
public static class ApiKeySecret
{
    private const string Prefix = "csk_";

    public static string Generate() =>
        Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>Compares two hashes in fixed time, so timing does not reveal how much of a hash matched.</summary>
    public static bool Matches(byte[] expectedHash, byte[] actualHash) =>
        CryptographicOperations.FixedTimeEquals(expectedHash, actualHash);

    public static string Hint(string apiKey) =>
        apiKey.Length <= 10 ? new string('*', apiKey.Length) : $"{apiKey[..6]}…{apiKey[^4..]}";
}
