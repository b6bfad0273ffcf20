using Microsoft.Extensions.Options;

namespace Consentry.Sandbox.OAuth;

internal sealed record RegisteredClient(string ClientId, string DisplayName, string SecretHash, IReadOnlySet<string> RedirectUris);

/// <summary>The registered OAuth clients, with their secrets kept only as hashes and compared in fixed time.</summary>
internal sealed class SandboxClients
{
    private readonly Dictionary<string, RegisteredClient> _clients;

    public SandboxClients(IOptions<SandboxOptions> options) =>
        _clients = options.Value.Clients.ToDictionary(
            c => c.ClientId,
            c => new RegisteredClient(
                c.ClientId,
                string.IsNullOrWhiteSpace(c.DisplayName) ? c.ClientId : c.DisplayName,
                Secrets.Hash(c.ClientSecret),
                c.RedirectUris.ToHashSet(StringComparer.Ordinal)),
            StringComparer.Ordinal);

    public RegisteredClient? Find(string? clientId) => clientId is null ? null : _clients.GetValueOrDefault(clientId);

    public RegisteredClient? Authenticate(string clientId, string secret) =>
        Find(clientId) is { } client && Secrets.FixedTimeEquals(Secrets.Hash(secret), client.SecretHash) ? client : null;
}
