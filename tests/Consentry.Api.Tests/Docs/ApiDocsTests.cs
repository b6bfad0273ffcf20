using System.Net;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Docs;

public sealed class ApiDocsTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task OpenApiDocument_DescribesThePlatformApi_WithCodatOperationIds()
    {
        var document = await app.Anonymous().GetAsync("/openapi/v1.json").ExpectAsync(HttpStatusCode.OK);

        var paths = document["paths"]!.AsObject();
        Assert.Contains("/companies", paths.Select(p => p.Key));
        Assert.Contains("/companies/{companyId}/connections/{connectionId}", paths.Select(p => p.Key));
        Assert.Equal("list-companies", paths["/companies"]!["get"]!["operationId"]!.GetValue<string>());
        Assert.Equal("create-connection", paths["/companies/{companyId}/connections"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.NotNull(document["components"]!["securitySchemes"]!["auth_header"]);
    }

    [Fact]
    public async Task BrowsableUi_IsServed()
    {
        using var response = await app.Anonymous().GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
