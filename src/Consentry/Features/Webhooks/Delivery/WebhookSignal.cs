using Consentry.Infrastructure.Work;

namespace Consentry.Features.Webhooks.Delivery;

/// <summary>Wakes this instance's delivery worker when a delivery commits here.</summary>
public sealed class WebhookSignal : WorkSignal;
