using System.Security.Cryptography;
using System.Text;

namespace Consentry.Api.Tests.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written again from the specification (not shared with the
/// server's signing code), so that a bug in one is caught by the other.
/// </summary>
public static class SignatureVerifier
{
    public static bool Verify(string secret, IReadOnlyDictionary<string, string> headers, string body, DateTimeOffset now, string prefix = "webhook")
    {
        var id = headers[$"{prefix}-id"];
        var timestamp = long.Parse(headers[$"{prefix}-timestamp"], System.Globalization.CultureInfo.InvariantCulture);
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body)));
        return headers[$"{prefix}-signature"].Split(' ')
            .Select(s => s.Split(',', 2))
            .Any(p => p.Length == 2 && p[0] == "v1" && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(p[1]), Encoding.ASCII.GetBytes(expected)));
    }
}
