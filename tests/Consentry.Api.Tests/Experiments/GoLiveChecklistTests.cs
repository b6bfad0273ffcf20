using System.Net;
using System.Text.Json.Nodes;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Core.Link;

namespace Consentry.Api.Tests.Experiments;

/// <summary>The go-live checklist reads the client's configuration: changing a setting flips its item.</summary>
public abstract class GoLiveChecklistTests(ConsentryApp app)
{
    [Fact]
    public async Task Items_FlipWhenTheirSettingChanges()
    {
        var api = app.Beta();
        await api.PutJsonAsync("/settings/link", new LinkSettings()).ExpectAsync(HttpStatusCode.OK);
        var before = await api.GetAsync("/monitoring/goLive").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("NotSet", State(before, "supportLink"));
        Assert.Equal("NotSet", State(before, "brandColour"));
        Assert.Equal("NotSet", State(before, "fileUpload"));
        Assert.Equal("/portal/settings/link", Item(before, "supportLink")["fixUrl"]!.GetValue<string>());
        // Every area of the guide is scored, a missing privacy setting included (shown as not set).
        Assert.Equal(4, before["items"]!.AsArray().Select(i => i!["area"]!.GetValue<string>()).Distinct().Count());
        Assert.Contains(before["items"]!.AsArray(), i => i!["key"]!.GetValue<string>() == "privacyLink");

        var settings = new LinkSettings { SupportUrl = "https://beta.example/help", PrimaryColor = "#0F766E" };
        settings.Categories.Banking.FileUpload = true;
        await api.PutJsonAsync("/settings/link", settings).ExpectAsync(HttpStatusCode.OK);
        var after = await api.GetAsync("/monitoring/goLive").ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("Done", State(after, "supportLink"));
        Assert.Equal("Done", State(after, "brandColour"));
        Assert.Equal("Done", State(after, "fileUpload"));
        Assert.Equal(before["score"]!.GetValue<int>() + 3, after["score"]!.GetValue<int>());
        await api.PutJsonAsync("/settings/link", new LinkSettings()).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WebhookConsumerItem_IsDoneOnceOneExists()
    {
        var api = app.Alpha();
        Assert.Equal("NotSet", State(await api.GetAsync("/monitoring/goLive").ExpectAsync(HttpStatusCode.OK), "webhookConsumer"));

        var hook = await api.PostJsonAsync("/webhooks", new { url = "https://hooks.example.com/golive" }).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Done", State(await api.GetAsync("/monitoring/goLive").ExpectAsync(HttpStatusCode.OK), "webhookConsumer"));
        using var deleted = await api.DeleteAsync($"/webhooks/{hook["id"]!.GetValue<string>()}");
    }

    private static JsonNode Item(JsonNode report, string key) => report["items"]!.AsArray().Single(i => i!["key"]!.GetValue<string>() == key)!;

    private static string State(JsonNode report, string key) => Item(report, key)["state"]!.GetValue<string>();
}

public sealed class GoLiveChecklistTests_Sqlite(SqliteApp app) : GoLiveChecklistTests(app), IClassFixture<SqliteApp>;

public sealed class GoLiveChecklistTests_Postgres(PostgresApp app) : GoLiveChecklistTests(app), IClassFixture<PostgresApp>;
