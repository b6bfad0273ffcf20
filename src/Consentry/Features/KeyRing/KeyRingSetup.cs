using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Consentry.Features.KeyRing;

internal static class KeyRingSetup
{
    /// <summary>Key rotation: the refreshable key manager, the ring watcher, the re-encryption job, the key ring's protection (required outside Development).</summary>
    public static WebApplicationBuilder AddKeyRotation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyOptions>().Bind(builder.Configuration.GetSection(KeyOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        KeyRingProtection.Configure(builder);

        // Data Protection's own XmlKeyManager, wrapped so that a key added by another instance is picked up here too.
        builder.Services.AddSingleton(sp => new RefreshableKeyManager(ActivatorUtilities.CreateInstance<XmlKeyManager>(sp)));
        builder.Services.AddSingleton<IKeyManager>(sp => sp.GetRequiredService<RefreshableKeyManager>());
        builder.Services.AddSingleton<KeySignal>();
        builder.Services.AddScoped<KeyRotator>();
        builder.Services.AddSingleton<KeyRingWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KeyRingWatcher>());
        builder.Services.AddSingleton<ReencryptionWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReencryptionWorker>());
        return builder;
    }

    /// <summary>
    /// The operator's command line, run instead of the server: <c>dotnet Consentry.dll rotate-keys [revoke-old-keys]</c>
    /// starts a rotation (the running instances do the re-encryption); <c>key-rotations</c> prints their progress.
    /// Returns false when the arguments are not a key command, so the server starts as usual.
    /// </summary>
    public static async Task<bool> RunKeyCommandAsync(this WebApplication app, string[] args)
    {
        args = CommandWords(args);
        if (args is not ["rotate-keys", ..] and not ["key-rotations"])
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var rotations = scope.ServiceProvider.GetRequiredService<KeyRotator>();
        if (args[0] == "rotate-keys")
        {
            var revoke = args.Skip(1).Contains("revoke-old-keys");
            var rotation = await rotations.StartAsync(revoke, CancellationToken.None);
            Console.WriteLine($"Rotation {rotation.Id} started: key {rotation.NewKeyId} is now the default{(revoke ? "; old keys are revoked when nothing uses them" : "")}.");
            Console.WriteLine("The running instances re-encrypt every stored secret under it; follow with: key-rotations");
            return true;
        }

        foreach (var (rotation, cursors) in await rotations.ListAsync(CancellationToken.None))
        {
            var state = rotation.Completed is null ? $"running (walk {rotation.Pass + 1}, lease {rotation.LeaseOwner ?? "none"})" : $"completed {rotation.Completed:u}";
            Console.WriteLine($"{rotation.Id}  key {rotation.NewKeyId}  requested {rotation.Requested:u}  {state}  rewritten {rotation.RewrittenTotal}");
            foreach (var cursor in cursors)
            {
                Console.WriteLine($"    {cursor.TableName,-22} {(cursor.Done ? "done" : "after " + (cursor.After ?? "(start)"))}");
            }

            if (rotation.Outcome is not null)
            {
                Console.WriteLine($"    {rotation.Outcome}");
            }
        }

        return true;
    }

    /// <summary>
    /// The arguments that are words, not settings: <c>dotnet run</c> puts <c>--contentRoot …</c> (see Consentry.csproj)
    /// before the operator's <c>rotate-keys</c>, and an operator may add <c>--urls …</c> or <c>--Key=value</c> too.
    /// </summary>
    internal static string[] CommandWords(string[] args)
    {
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith('-') && !args[i].StartsWith('/'))
            {
                words.Add(args[i]);
            }
            else if (!args[i].Contains('=', StringComparison.Ordinal))
            {
                i++; // "--name value": the value belongs to the setting
            }
        }

        return [.. words];
    }
}
