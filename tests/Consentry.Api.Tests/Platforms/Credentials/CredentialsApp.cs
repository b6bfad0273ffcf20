using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Api.Tests.Sync;
using Consentry.Core.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Platforms.Credentials;

/// <summary>
/// The host on Kestrel, logging everything (Trace), with Stripe (<c>exgd</c>) enabled and its API base pointed at a
/// stand-in for <c>GET /v1/account</c> served by this process under <c>/test-stripe</c>: Stripe's answers to a key
/// (200 with the account, 401 for an unknown key, 403 for a key without the permission, 500 when Stripe fails), with
/// the error bodies Stripe sends (https://docs.stripe.com/api/errors). The credential framework is tested against it
/// without depending on the Stripe simulator's data.
/// </summary>
public class CredentialsApp(DatabaseProvider provider) : SyncApp(provider)
{
    public const string GoodKey = "rk_test_51GoodCredentialKey0123456789abcdefGHIJ";
    public const string ForbiddenKey = "rk_test_51NoAccountRead0123456789abcdefGHIJ";
    public const string DownKey = "rk_test_51StripeIsDown0123456789abcdefGHIJKL";
    public const string AccountId = "acct_1CredentialsTest01";

    /// <summary>Every key the stand-in was asked about, in order.</summary>
    public ConcurrentQueue<string> KeysChecked { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
        ["Consentry:Platforms:exgd:ClientId"] = "ca_test_platform",
        ["Consentry:Platforms:exgd:ClientSecret"] = "sk_test_platform_secret",
        ["Consentry:Platforms:exgd:ApiBaseUrl"] = $"{BaseUrl}/test-stripe",
    };

    protected override void ConfigureTestServices(IServiceCollection services) =>
        services.AddSingleton<IStartupFilter>(new StandIn(this));

    private sealed class StandIn(CredentialsApp app) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Map("/test-stripe/v1/account", account => account.Run(AnswerAsync));
            next(builder);
        };

        private async Task AnswerAsync(HttpContext http)
        {
            var header = http.Request.Headers.Authorization.ToString();
            var key = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
            app.KeysChecked.Enqueue(key);
            var masked = key.Length > 12 ? $"{key[..8]}{new string('*', key.Length - 12)}{key[^4..]}" : "";
            (int status, JsonObject body) = key switch
            {
                GoodKey => (200, new JsonObject
                {
                    ["id"] = AccountId, ["object"] = "account", ["business_type"] = "company", ["country"] = "GB", ["default_currency"] = "gbp",
                    ["business_profile"] = new JsonObject { ["name"] = "Credential Traders Ltd" },
                }),
                ForbiddenKey => (403, Error($"The provided key '{masked}' does not have the required permissions for this endpoint on account '{AccountId}'.")),
                DownKey => (500, Error("An unknown error occurred", "api_error")),
                _ => (401, Error($"Invalid API Key provided: {masked}")),
            };
            http.Response.StatusCode = status;
            await http.Response.WriteAsJsonAsync(body);
        }

        private static JsonObject Error(string message, string type = "invalid_request_error") =>
            new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = type } };
    }

    /// <summary>A company and a Stripe connection of the Alpha client: (companyId, connectionId, linkUrl's path and query).</summary>
    public async Task<(string CompanyId, string ConnectionId, string LinkPath)> NewStripeConnectionAsync(HttpClient? api = null)
    {
        api ??= Alpha();
        var companyId = await api.CreateCompanyAsync("Credential Traders Ltd");
        var connection = await api.PostJsonAsync($"/companies/{companyId}/connections", new { platformKey = "exgd" }).ExpectAsync(HttpStatusCode.OK);
        return (companyId, connection["id"]!.GetValue<string>(), new Uri(connection["linkUrl"]!.GetValue<string>()).PathAndQuery);
    }
}

public sealed class SqliteCredentialsApp() : CredentialsApp(DatabaseProvider.Sqlite);

public sealed class PostgresCredentialsApp() : CredentialsApp(DatabaseProvider.Postgres);
