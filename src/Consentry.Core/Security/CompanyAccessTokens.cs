using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Consentry.Core.Security;

/// <summary>
/// Company-scoped bearer tokens for the Link and Connections SDKs (Codat's company access token): valid for one
/// company for <see cref="Lifetime"/>, and for nothing else. Stateless and encrypted with Data Protection, so any
/// instance sharing the key ring can check them; the expiry is inside the protected payload and read with
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class CompanyAccessTokens(IDataProtectionProvider provider, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    private readonly IDataProtector _protector = provider.CreateProtector("Consentry.CompanyAccessToken.v1");

    public string Issue(Guid clientId, Guid companyId)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        return _protector.Protect($"{clientId:N}|{companyId:N}|{expires.ToString(CultureInfo.InvariantCulture)}");
    }

    public CompanyToken? Validate(string token)
    {
        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 3
            || !Guid.TryParseExact(parts[0], "N", out var clientId)
            || !Guid.TryParseExact(parts[1], "N", out var companyId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || time.GetUtcNow().ToUnixTimeSeconds() >= expires)
        {
            return null;
        }

        return new CompanyToken(clientId, companyId);
    }
}

public sealed record CompanyToken(Guid ClientId, Guid CompanyId);
