using Microsoft.AspNetCore.DataProtection;

namespace Consentry.Core.Security;

/// <summary>Encrypts secrets (OAuth client secrets, tokens) before they are stored, with ASP.NET Core Data Protection.</summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Consentry.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
