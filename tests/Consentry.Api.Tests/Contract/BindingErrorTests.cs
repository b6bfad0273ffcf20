using System.Net;
using Consentry.Api.Tests.Infrastructure;
using Consentry.Infrastructure.Http;
using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Consentry.Api.Tests.Contract;

/// <summary>
/// Values the endpoints cannot bind get the runtime binder's message in Codat's error shape, whichever binder built the
/// endpoint: the Request Delegate Generator (on in Consentry.csproj) answers an unparsable nullable value with an empty
/// 400 of its own, which <see cref="NullableBindingCheck"/> replaces with the runtime binder's exception.
/// </summary>
public abstract class BindingErrorTests(ConsentryApp app)
{
    private const string Other = "00000000-0000-4000-8000-000000000001";
    private readonly HttpClient _api = app.Alpha();

    [Theory]
    [InlineData("/companies?page=abc", "Failed to bind parameter \"int? Page\" from \"abc\".")]
    [InlineData("/companies?pageSize=1.5", "Failed to bind parameter \"int? PageSize\" from \"1.5\".")]
    [InlineData("/companies?page=1&page=2", "Failed to bind parameter \"int? Page\" from \"1,2\".")]
    [InlineData("/companies?PAGE=99999999999", "Failed to bind parameter \"int? Page\" from \"99999999999\".")]
    [InlineData("/integrations?pageSize=x&page=y", "Failed to bind parameter \"int? Page\" from \"y\".")]
    [InlineData("/companies/" + Other + "/data/invoices?connectionId=nope&page=x", "Failed to bind parameter \"Guid? connectionId\" from \"nope\".")]
    [InlineData("/companies/" + Other + "/data/invoices?page=x", "Failed to bind parameter \"int? Page\" from \"x\".")]
    [InlineData("/companies/" + Other + "/connections/" + Other + "/data/custom/x?pageSize=x", "Failed to bind parameter \"int? pageSize\" from \"x\".")]
    public async Task UnparsableNullableValue_Answers400WithTheBindersMessage(string path, string message)
    {
        var body = await _api.GetAsync(path).ExpectErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal(message, body["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/companies?page=&pageSize=")]
    [InlineData("/companies?page=2&pageSize=7")]
    public async Task EmptyOrValidNullableValue_IsAccepted(string path) =>
        await _api.GetAsync(path).ExpectAsync(HttpStatusCode.OK);

    /// <summary>The check knows every nullable value an endpoint binds; a new type (<c>long?</c>, a date) must be added to it.</summary>
    [Fact]
    public void EveryNullableValueParameter_IsChecked()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints;
        var nullable = endpoints
            .Where(e => e.Metadata.GetMetadata<MethodInfo>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<MethodInfo>()!.GetParameters().SelectMany(NullableBindingCheck.Bound)
                .Where(b => Nullable.GetUnderlyingType(b.Type) is not null)
                .Select(b => (Endpoint: e, b.Name)))
            .ToList();
        Assert.Contains(nullable, p => p.Name == "connectionId");
        Assert.All(nullable, p => Assert.Contains(NullableBindingCheck.ChecksOf(p.Endpoint), c => c.Name == p.Name));
    }
}

public sealed class BindingErrorTests_Sqlite(SqliteApp app) : BindingErrorTests(app), IClassFixture<SqliteApp>;
