using Consentry.Connectors.OAuth2;

namespace Consentry.Connectors;

/// <summary>
/// A platform that links with credentials the customer types in (an API key, a key and secret, a shop domain and a
/// key) instead of, or besides, an OAuth redirect. The catalogue describes the form (<c>credentials</c>); this checks
/// what was typed against the platform before anything is stored. Separate from <see cref="IPlatformConnector"/>, which
/// still reads the data: the accepted access token and account parameters are handed to it like an OAuth grant's.
/// </summary>
public interface ICredentialConnector
{
    /// <summary>The catalogue keys whose credential form this connector checks (e.g. <c>exgd</c>).</summary>
    IReadOnlyCollection<string> PlatformKeys { get; }

    /// <summary>
    /// Asks the platform whether <paramref name="values"/> (the form's fields by name, already checked against their
    /// patterns) work. Never logs or echoes a value.
    /// </summary>
    Task<CredentialCheck> CheckAsync(PlatformEndpoint platform, IReadOnlyDictionary<string, string> values, CancellationToken ct);
}

/// <summary>What the platform said about the credentials.</summary>
public abstract record CredentialCheck
{
    /// <summary>
    /// They work: <see cref="AccessToken"/> is stored encrypted as the connection's access token, and
    /// <see cref="Account"/> (encrypted with it) is handed to every read, e.g. <c>{"keyType":"restricted","accountId":"acct_…"}</c>.
    /// </summary>
    public sealed record Accepted(string AccessToken, IReadOnlyDictionary<string, string> Account) : CredentialCheck;

    /// <summary>The platform refused them: <see cref="Message"/> tells the customer what to fix (it never contains a value).</summary>
    public sealed record Refused(string Message) : CredentialCheck;

    /// <summary>The platform could not be asked (down, rate limited, unreachable): nothing is known, the customer may try again.</summary>
    public sealed record Unavailable(string Message) : CredentialCheck;
}

/// <summary>Finds the credential connector of a platform; null when the platform takes no credentials here.</summary>
public sealed class CredentialConnectors
{
    private readonly Dictionary<string, ICredentialConnector> _byKey = new(StringComparer.Ordinal);

    public CredentialConnectors(IEnumerable<ICredentialConnector> connectors)
    {
        foreach (var connector in connectors)
        {
            foreach (var key in connector.PlatformKeys)
            {
                if (!_byKey.TryAdd(key, connector))
                {
                    throw new InvalidOperationException($"Two credential connectors claim the platform {key}.");
                }
            }
        }
    }

    public ICredentialConnector? For(string platformKey) => _byKey.GetValueOrDefault(platformKey);
}
