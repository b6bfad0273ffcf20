using Consentry.Sandbox;

// dotnet run --project src/Consentry.Sandbox.Host --urls http://127.0.0.1:5100
// Settings come from the "Sandbox" section, e.g. Sandbox__AccessTokenLifetime=00:05:00 or Sandbox__Clients__0__ClientId=…
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddConsentrySandbox(builder.Configuration.GetSection(SandboxOptions.SectionName));

var app = builder.Build();

app.MapGet("/healthz", () => Results.Ok("ok"));
app.MapConsentrySandbox();

await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
