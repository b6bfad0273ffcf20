using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Consentry.Sandbox.Simulators.Plaid;

/// <summary>
/// Plaid (<c>suuo</c>) as its OpenAPI document (plaid-2020-09-14.yml) describes it, for what Consentry uses: Hosted Link
/// (<c>/link/token/create</c> with <c>hosted_link</c>, the pages at <c>hl/{id}</c> that redirect to the completion URI,
/// <c>/link/token/get</c>), <c>/item/public_token/exchange</c>, <c>/accounts/get</c>, <c>/accounts/balance/get</c>,
/// <c>/transactions/sync</c>, <c>/item/get</c> and <c>/item/remove</c>. Every call is a POST with <c>client_id</c> and
/// <c>secret</c> in the JSON body; errors are Plaid's error object. Control endpoints under <c>control/…</c>.
/// </summary>
public sealed class PlaidSimulator(IConfiguration configuration, TimeProvider time) : IPlatformSimulator
{
    public string PlatformKey => "suuo";

    public string Name => "plaid";

    public string ClientId => configuration["Consentry:Simulators:Plaid:ClientId"] ?? "plaid-simulator-client";

    public string ClientSecret => configuration["Consentry:Simulators:Plaid:Secret"] ?? "plaid-simulator-secret";

    /// <summary>Unused by Hosted Link (the completion URI is given per link token), kept for the interface.</summary>
    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal);

    internal PlaidState State { get; } = new();

    internal DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Where the simulator is served (the Hosted Link URLs it hands out point here); learnt from its requests.</summary>
    internal string BaseUrl { get; set; } = "";

    public SimulatedHosts HostsUnder(string baseUrl)
    {
        var b = baseUrl.TrimEnd('/');
        return new SimulatedHosts($"{b}/hl", $"{b}/item/public_token/exchange", $"{b}/item/remove", null, b);
    }

    public void Map(IEndpointRouteBuilder group)
    {
        foreach (var (path, handler) in PlaidApi.Endpoints)
        {
            group.MapPost(path, async context => await (await PlaidApi.HandleAsync(context, this, handler)).ExecuteAsync(context)).DisableAntiforgery();
        }

        // RequestDelegates: the route-handler analyzer trips over these two as lambdas with parameters.
        group.MapGet("/hl/{session}", context => PlaidHostedLink.Open(context, this, Route(context, "session")).ExecuteAsync(context));
        group.MapPost("/hl/{session}/{step}", async context =>
            await (await PlaidHostedLink.StepAsync(context, this, Route(context, "session"), Route(context, "step"))).ExecuteAsync(context)).DisableAntiforgery();
        PlaidControl.Map(group.MapGroup("/control"), this);
    }

    private static string Route(HttpContext context, string name) => context.Request.RouteValues[name]?.ToString() ?? "";

    internal bool IsClient(string? clientId, string? secret) =>
        clientId is not null && secret is not null
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(clientId, ClientId)
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(secret, ClientSecret);
}
