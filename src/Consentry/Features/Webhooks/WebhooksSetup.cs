using Consentry.Core.Webhooks;
using Consentry.Features.Webhooks.Delivery;
using Consentry.Infrastructure.Work;
using Microsoft.Extensions.Options;

namespace Consentry.Features.Webhooks;

internal static class WebhooksSetup
{
    /// <summary>The outbox publisher, the delivery worker and its guarded HTTP client.</summary>
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>()
            .Bind(builder.Configuration.GetSection(WebhookOptions.Section))
            .Configure(o =>
            {
                // Local receivers work out of the box in Development, unless configured otherwise.
                if (builder.Environment.IsDevelopment() && builder.Configuration[$"{WebhookOptions.Section}:AllowPrivateNetworks"] is null)
                {
                    o.AllowPrivateNetworks = true;
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => WebhookOptions.ParseSchedule(o.RetrySchedule) is not null,
                "Consentry__Webhooks__RetrySchedule must be delays like 0,5s,5m,30m,2h (1 to 50 entries; s, m, h or d).")
            .ValidateOnStart();

        builder.Services.AddSingleton<HostResolver>();
        builder.Services.AddSingleton<NetworkGuard>();
        builder.Services.AddSingleton<WebhookSignal>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, CommitSignalInterceptor<WebhookDelivery, WebhookSignal>>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHttpClient(WebhookSender.ClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.TimeoutSeconds);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Consentry-Webhooks/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(sp => GuardedHandler(sp.GetRequiredService<NetworkGuard>()))
            // The factory's logging handlers write four entries and a scope per request (the request URI formatted each
            // time): at thousands of deliveries a second that was a share of the server's CPU, and the attempts API
            // already records every send. The worker logs each outcome itself, at Debug, under the delivery's scope.
            .RemoveAllLoggers();
        builder.Services.AddSingleton<WebhookDeliveryWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker>());
        return builder;
    }

    /// <summary>No redirects; every connection goes to an address the guard allows, checked when connecting.</summary>
    private static SocketsHttpHandler GuardedHandler(NetworkGuard guard) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxConnectionsPerServer = 256,
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await guard.AllowedAddressesAsync(context.DnsEndPoint.Host, ct);
            if (addresses.Length == 0)
            {
                throw new HttpRequestException($"Refused to connect: {context.DnsEndPoint.Host} resolves only to internal addresses.");
            }

            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
