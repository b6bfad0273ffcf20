using Microsoft.Extensions.Options;

namespace Consentry.Sandbox;

/// <summary>Fills the default client, then checks the settings when the host starts and says what to fix.</summary>
internal sealed class SandboxOptionsSetup : IPostConfigureOptions<SandboxOptions>, IValidateOptions<SandboxOptions>
{
    public void PostConfigure(string? name, SandboxOptions options)
    {
        // Defaults are applied after binding because the binder appends to lists instead of replacing them.
        if (options.Clients.Count == 0)
        {
            options.Clients.Add(new SandboxClientOptions
            {
                ClientId = SandboxOptions.DefaultClientId,
                ClientSecret = SandboxOptions.DefaultClientSecret,
                DisplayName = "Consentry",
                RedirectUris = options.DefaultClientRedirectUris.Count > 0
                    ? [.. options.DefaultClientRedirectUris]
                    : [SandboxOptions.DefaultClientRedirectUri],
            });
        }
    }

    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();

        if (options.BaseUrl is { Length: > 0 } baseUrl
            && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            failures.Add($"Sandbox BaseUrl must be an absolute http(s) URL without query, e.g. https://consentry.example/sandbox (got '{baseUrl}').");
        }

        Positive(options.AccessTokenLifetime, nameof(options.AccessTokenLifetime), failures);
        Positive(options.AuthorizationCodeLifetime, nameof(options.AuthorizationCodeLifetime), failures);
        Positive(options.BankingConsentLifetime, nameof(options.BankingConsentLifetime), failures);
        Positive(options.AuthorizationRequestLifetime, nameof(options.AuthorizationRequestLifetime), failures);
        if (options.MutationInterval is { } interval)
        {
            Positive(interval, nameof(options.MutationInterval), failures);
        }

        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                failures.Add($"Sandbox Clients:{i}:ClientId is required.");
            }

            if (string.IsNullOrEmpty(client.ClientSecret))
            {
                failures.Add($"Sandbox Clients:{i}:ClientSecret is required.");
            }

            if (client.RedirectUris.Count == 0)
            {
                failures.Add($"Sandbox Clients:{i}:RedirectUris needs at least one redirect URI.");
            }

            foreach (var redirect in client.RedirectUris)
            {
                if (!Uri.TryCreate(redirect, UriKind.Absolute, out var r) || r.Scheme is not ("http" or "https") || r.Fragment.Length > 0)
                {
                    failures.Add($"Sandbox Clients:{i}:RedirectUris: '{redirect}' must be an absolute http(s) URL without a fragment.");
                }
            }
        }

        var ids = options.Clients.Select(c => c.ClientId).ToList();
        if (ids.Count != ids.Distinct(StringComparer.Ordinal).Count())
        {
            failures.Add("Sandbox Clients: each ClientId must be different.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(TimeSpan value, string setting, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"Sandbox {setting} must be a positive duration such as 00:01:00 (got '{value}').");
        }
    }
}
