using Consentry.Sandbox.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Consentry.Sandbox.Simulators.Xero;

/// <summary>
/// Xero (<c>gbol</c>) as its published documents describe it (xero-identity.yaml, xero_accounting.yaml): the login and
/// consent pages with the organisation chooser at <c>login/identity/connect/authorize</c>, the token and revocation
/// endpoints at <c>identity/connect/…</c>, the Identity API's <c>api/connections</c>, and the Accounting API at
/// <c>api/api.xro/2.0/…</c>, each path mirroring the vendor's host (login.xero.com, identity.xero.com, api.xero.com).
/// Switchable failures and counters live under <c>control/…</c>, for the simulator's own client only.
/// </summary>
public sealed class XeroSimulator : IPlatformSimulator
{
    internal static readonly SandboxPlatform Branding = new("gbol", "Xero (simulated)", "Accounting", "#0B6FA4", "X", [], [], false);

    /// <summary>The scopes Xero's document lists, plus the granular ones Xero is moving apps to.</summary>
    internal static readonly HashSet<string> KnownScopes = new(StringComparer.Ordinal)
    {
        "openid", "profile", "email", "offline_access",
        "accounting.settings", "accounting.settings.read", "accounting.contacts", "accounting.contacts.read",
        "accounting.transactions", "accounting.transactions.read", "accounting.reports.read", "accounting.journals.read",
        "accounting.attachments", "accounting.attachments.read", "accounting.budgets.read",
        "accounting.invoices", "accounting.invoices.read", "accounting.payments", "accounting.payments.read",
        "accounting.banktransactions", "accounting.banktransactions.read", "accounting.manualjournals", "accounting.manualjournals.read",
    };

    public XeroSimulator(IConfiguration configuration, TimeProvider time)
    {
        Options = configuration.GetSection(XeroSimulatorOptions.Section).Get<XeroSimulatorOptions>() ?? new XeroSimulatorOptions();
        Time = time;
    }

    public string PlatformKey => "gbol";

    public string Name => "xero";

    public string ClientId => Options.ClientId;

    public string ClientSecret => Options.ClientSecret;

    public ISet<string> RedirectUris { get; } = new HashSet<string>(StringComparer.Ordinal);

    internal XeroSimulatorOptions Options { get; }

    internal TimeProvider Time { get; }

    internal XeroState State { get; } = new();

    internal DateTime Now => Time.GetUtcNow().UtcDateTime;

    public SimulatedHosts HostsUnder(string baseUrl)
    {
        var b = baseUrl.TrimEnd('/');
        return new SimulatedHosts(
            $"{b}/login/identity/connect/authorize", $"{b}/identity/connect/token", $"{b}/identity/connect/revocation",
            $"{b}/api/connections", $"{b}/api/api.xro/2.0");
    }

    public void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/login/identity/connect/authorize", (HttpContext c) => XeroLoginPages.Authorize(c, this));
        group.MapPost("/login/identity/connect/login", (Delegate)((HttpContext c) => XeroLoginPages.LoginAsync(c, this))).DisableAntiforgery();
        group.MapPost("/login/identity/connect/consent/allow", (Delegate)((HttpContext c) => XeroLoginPages.DecideAsync(c, this, allowed: true))).DisableAntiforgery();
        group.MapPost("/login/identity/connect/consent/deny", (Delegate)((HttpContext c) => XeroLoginPages.DecideAsync(c, this, allowed: false))).DisableAntiforgery();
        group.MapPost("/identity/connect/token", (Delegate)((HttpContext c) => XeroTokenEndpoints.TokenAsync(c, this))).DisableAntiforgery();
        group.MapPost("/identity/connect/revocation", (Delegate)((HttpContext c) => XeroTokenEndpoints.RevokeAsync(c, this))).DisableAntiforgery();
        group.MapGet("/api/connections", (HttpContext c) => XeroTokenEndpoints.Connections(c, this));
        group.MapDelete("/api/connections/{id}", (HttpContext c, string id) => XeroTokenEndpoints.DeleteConnection(c, this, id));
        group.MapGet("/api/api.xro/2.0/{resource}", (HttpContext c, string resource) => XeroAccountingApi.GetAsync(c, this, resource));
        XeroControl.Map(group.MapGroup("/control"), this);
    }

    /// <summary>The user's organisation with this tenant id, if the user has one.</summary>
    internal XeroOrganisation? OrganisationOf(string username, string tenantId) =>
        XeroUsers.OrganisationsOf(username).FirstOrDefault(o => string.Equals(o.TenantId, tenantId, StringComparison.OrdinalIgnoreCase)) is { } org
            ? State.Organisation(org, username)
            : null;

    internal bool IsClient(string? clientId, string? secret) =>
        clientId is not null && secret is not null
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(clientId, Options.ClientId)
        && Consentry.Sandbox.OAuth.Secrets.FixedTimeEquals(secret, Options.ClientSecret);
}
