using Consentry.Core.Persistence;
using Microsoft.Extensions.Options;

namespace Consentry.Infrastructure.Options;

/// <summary>Checks the configuration when the host starts and says exactly what to fix.</summary>
internal sealed class ConsentryOptionsValidator(IConfiguration configuration) : IValidateOptions<ConsentryOptions>
{
    public const int MinApiKeyLength = 16;

    public ValidateOptionsResult Validate(string? name, ConsentryOptions options)
    {
        var failures = new List<string>();

        if (options.PublicBaseUrl is { } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            failures.Add($"Consentry__PublicBaseUrl must be an absolute http(s) URL such as https://consentry.example.com with no path or query (got '{url}').");
        }

        if (options.Database.Provider == DatabaseProvider.Postgres
            && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Consentry")))
        {
            failures.Add("Consentry__Database__Provider is Postgres, so ConnectionStrings__Consentry must be set "
                         + "(e.g. Host=localhost;Database=consentry;Username=consentry;Password=…).");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("Consentry__DataDirectory must not be empty.");
        }

        CheckKey(options.Bootstrap.ApiKey, "Consentry__Bootstrap__ApiKey", failures);
        for (var i = 0; i < options.Bootstrap.Clients.Count; i++)
        {
            var client = options.Bootstrap.Clients[i];
            if (string.IsNullOrWhiteSpace(client.Name))
            {
                failures.Add($"Consentry__Bootstrap__Clients__{i}__Name is required.");
            }

            if (string.IsNullOrWhiteSpace(client.ApiKey))
            {
                failures.Add($"Consentry__Bootstrap__Clients__{i}__ApiKey is required.");
            }

            CheckKey(client.ApiKey, $"Consentry__Bootstrap__Clients__{i}__ApiKey", failures);
        }

        var keys = options.Bootstrap.Clients.Select(c => c.ApiKey).Append(options.Bootstrap.ApiKey).OfType<string>().ToList();
        if (keys.Count != keys.Distinct(StringComparer.Ordinal).Count())
        {
            failures.Add("Each bootstrap API key must be different.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckKey(string? key, string setting, List<string> failures)
    {
        if (key is not null && (key.Length < MinApiKeyLength || key.Any(char.IsWhiteSpace)))
        {
            failures.Add($"{setting} must be at least {MinApiKeyLength} characters without spaces.");
        }
    }
}
