using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Consentry.Core.Webhooks;

/// <summary>
/// The Standard Webhooks signature (what Svix and Codat use): HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>, keyed
/// with the base64 part of a <c>whsec_</c> secret, sent as <c>v1,&lt;base64&gt;</c>; several signatures are separated
/// by spaces (during a secret rotation). Written by hand: the StandardWebhooks/Svix packages are not available here,
/// and the algorithm is a few lines.
/// </summary>
public static class StandardWebhooks
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var content = Encoding.UTF8.GetBytes($"{messageId}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, content));
    }

    /// <summary>The header value for all currently valid secrets.</summary>
    public static string SignAll(IEnumerable<string> secrets, string messageId, long timestamp, string body) =>
        string.Join(' ', secrets.Select(s => Sign(s, messageId, timestamp, body)));
}
