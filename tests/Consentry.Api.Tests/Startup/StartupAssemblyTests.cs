using System.Net;
using System.Text;
using Consentry.Api.Tests.Infrastructure;

namespace Consentry.Api.Tests.Startup;

/// <summary>
/// A SQLite instance loads neither Npgsql nor its EF provider (issue 18 item 5: their mapped images are idle memory and
/// start-up work for nothing): the provider check goes by the provider's name (<c>ProviderCheck</c>), and the code
/// that calls into Npgsql sits in methods a SQLite instance never runs. A PostgreSQL instance, checked the same way,
/// loads and uses them.
/// </summary>
public sealed class StartupAssemblyTests
{
    private const string Key = "startup-assembly-key-0123456789";

    [Fact]
    public async Task SqliteInstance_ServesTheApi_WithoutLoadingNpgsql()
    {
        var loaded = await LoadedAfterTrafficAsync(new Dictionary<string, string>());

        Assert.Contains(loaded, a => a.EndsWith("/Microsoft.EntityFrameworkCore.Sqlite.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(loaded, a => a.Contains("Npgsql", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostgresInstance_ServesTheApi_WithNpgsql()
    {
        var loaded = await LoadedAfterTrafficAsync(new Dictionary<string, string>
        {
            ["Consentry__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Consentry"] = await PostgresServer.CreateDatabaseAsync(),
        });

        Assert.Contains(loaded, a => a.EndsWith("/Npgsql.EntityFrameworkCore.PostgreSQL.dll", StringComparison.Ordinal));
        Assert.Contains(loaded, a => a.EndsWith("/Npgsql.dll", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts the tests' build as its own process, runs the paths that ask which database they are on (start-up's
    /// migrations and model, a company's creation, a searched list, a read), and returns the files it has mapped.
    /// </summary>
    private static async Task<List<string>> LoadedAfterTrafficAsync(Dictionary<string, string> environment)
    {
        environment["Consentry__Bootstrap__ApiKey"] = Key;
        environment["Consentry__DataDirectory"] = Directory.CreateTempSubdirectory("consentry-assemblies-").FullName;
        await using var server = await ConsentryProcess.StartAsync(environment);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        http.DefaultRequestHeaders.Add("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Key)));

        var id = (await http.PostJsonAsync("/companies", new { name = "Harbour Assemblies Ltd" }).ExpectAsync(HttpStatusCode.OK))["id"]!.GetValue<string>();
        var found = await http.GetAsync("/companies?query=name~harbour").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, found["totalResults"]!.GetValue<int>());
        await http.GetAsync($"/companies/{id}").ExpectAsync(HttpStatusCode.OK);

        // Managed assemblies are mapped from their files, so /proc/<pid>/maps names every one the runtime has loaded.
        var maps = await File.ReadAllLinesAsync($"/proc/{server.ProcessId}/maps");
        return maps.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length >= 6).Select(f => f[^1]).Distinct().ToList();
    }
}
