using System.Net;
using System.Text.RegularExpressions;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Portal;

/// <summary>
/// What the settings and monitor pages make of the API's use cases (docs/architecture.md#handlers-return-results): a
/// success is a notice after a redirect (or a secret shown once on the page), a refusal is the API's own message.
/// </summary>
public abstract partial class PortalActionsTests(PortalApp app)
{
    [Fact]
    public async Task ApiKeys_CreatedInThePortal_ShowTheKeyOnce_AndRefusalsShowTheApisMessage()
    {
        using var session = await SignedInAsync();

        using var tooLong = await session.SubmitAsync("/portal/settings/apikeys", "/portal/settings/apikeys?handler=Create", new() { ["name"] = new string('n', 51) });
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("name must be at most 50 characters.", await TextAsync(tooLong), StringComparison.Ordinal);

        using var created = await session.SubmitAsync("/portal/settings/apikeys", "/portal/settings/apikeys?handler=Create", new() { ["name"] = "made-in-portal" });
        var key = NewKeyPattern().Match(await TextAsync(created)).Groups[1].Value;
        await app.ClientFor(key).GetAsync("/companies").ExpectAsync(HttpStatusCode.OK);
        var listed = (await app.Alpha().GetAsync("/apiKeys").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray()
            .Single(k => k!["name"]?.GetValue<string>() == "made-in-portal")!;
        Assert.DoesNotContain(key, await session.GetAsync("/portal/settings/apikeys"), StringComparison.Ordinal);

        var unknown = Guid.NewGuid();
        using var notFound = await session.SubmitAsync("/portal/settings/apikeys", "/portal/settings/apikeys?handler=Delete", new() { ["id"] = $"{unknown}" });
        Assert.Equal(HttpStatusCode.BadRequest, notFound.StatusCode);
        Assert.Contains($"No API key was found with ID {unknown}.", await TextAsync(notFound), StringComparison.Ordinal);

        using var deleted = await session.SubmitAsync("/portal/settings/apikeys", "/portal/settings/apikeys?handler=Delete", new() { ["id"] = listed["id"]!.GetValue<string>() });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Contains("API key deleted.", await session.GetAsync("/portal/settings/apikeys"), StringComparison.Ordinal);
        await app.ClientFor(key).GetAsync("/companies").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Webhooks_ManagedInThePortal_ShowTheApisSecret_AndRefusalsShowTheApisMessage()
    {
        using var session = await SignedInAsync();
        const string url = "https://hooks.example.test/portal-actions";

        using var invalid = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Create", new() { ["url"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("url is required (an absolute http(s) URL of at most 2048 characters).", await TextAsync(invalid), StringComparison.Ordinal);

        using var created = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Create", new() { ["url"] = url });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains("Webhook consumer created.", await session.GetAsync("/portal/settings/webhooks"), StringComparison.Ordinal);
        var id = (await app.Alpha().GetAsync("/webhooks").ExpectAsync(HttpStatusCode.OK))["results"]!.AsArray()
            .Single(c => c!["url"]!.GetValue<string>() == url)!["id"]!.GetValue<string>();

        using var shown = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Secret", new() { ["id"] = id });
        Assert.Equal(await ApiSecretAsync(id), SecretPattern().Match(await TextAsync(shown)).Groups[1].Value);
        using var rotated = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Rotate", new() { ["id"] = id });
        var fresh = SecretPattern().Match(await TextAsync(rotated)).Groups[1].Value;
        Assert.StartsWith("whsec_", fresh, StringComparison.Ordinal);
        Assert.Equal(await ApiSecretAsync(id), fresh);

        using var noSince = await session.SubmitAsync("/portal/monitor/webhooks", "/portal/monitor/webhooks?handler=Recover", new() { ["id"] = id });
        Assert.Equal(HttpStatusCode.BadRequest, noSince.StatusCode);
        Assert.Contains("since is required", await TextAsync(noSince), StringComparison.Ordinal);
        using var recovered = await session.SubmitAsync("/portal/monitor/webhooks", "/portal/monitor/webhooks?handler=Recover",
            new() { ["id"] = id, ["since"] = "2026-01-01T00:00" });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Contains("0 failed deliveries queued again.", await session.GetAsync("/portal/monitor/webhooks"), StringComparison.Ordinal);

        using var deleted = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Delete", new() { ["id"] = id });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        using var gone = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Secret", new() { ["id"] = id });
        Assert.Contains($"No webhook consumer was found with ID {id}.", await TextAsync(gone), StringComparison.Ordinal);
        using var again = await session.SubmitAsync("/portal/settings/webhooks", "/portal/settings/webhooks?handler=Delete", new() { ["id"] = id });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains($"No webhook consumer was found with ID {id}.", await TextAsync(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectsAndIntegrations_RefusedInThePortal_ShowTheApisMessage()
    {
        using var session = await SignedInAsync();

        using var redirect = await session.SubmitAsync("/portal/settings/redirects", "/portal/settings/redirects", new() { ["RedirectUrl"] = "ftp://files.example.test/{companyId}" });
        Assert.Equal(HttpStatusCode.BadRequest, redirect.StatusCode);
        Assert.Contains("redirectUrl must be an absolute http(s) URL", await TextAsync(redirect), StringComparison.Ordinal);

        using var integration = await session.SubmitAsync("/portal/settings/integrations", "/portal/settings/integrations?handler=Save",
            new() { ["platformKey"] = "nope", ["enabled"] = "true" });
        Assert.Equal(HttpStatusCode.BadRequest, integration.StatusCode);
        Assert.Contains("No integration was found with the platformKey 'nope'.", await TextAsync(integration), StringComparison.Ordinal);
    }

    private async Task<PortalSession> SignedInAsync()
    {
        var session = app.Session();
        using var signedIn = await session.SignInAsync(PortalApp.AdminEmail, PortalApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return session;
    }

    private async Task<string> ApiSecretAsync(string webhookId) =>
        (await app.Alpha().GetAsync($"/webhooks/{webhookId}/secret").ExpectAsync(HttpStatusCode.OK))["key"]!.GetValue<string>();

    private static async Task<string> TextAsync(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [GeneratedRegex("<strong id=\"new-key\">([^<]+)</strong>")]
    private static partial Regex NewKeyPattern();

    [GeneratedRegex("Signing secret: <strong>([^<]+)</strong>")]
    private static partial Regex SecretPattern();
}

public sealed class PortalActionsTests_Sqlite(SqlitePortalApp app) : PortalActionsTests(app), IClassFixture<SqlitePortalApp>;

public sealed class PortalActionsTests_Postgres(PostgresPortalApp app) : PortalActionsTests(app), IClassFixture<PostgresPortalApp>;
