namespace Consentry.Api.Tests.Infrastructure;

/// <summary>Polls (bounded) until a condition holds: for state that background work reaches in its own time.</summary>
public static class Eventually
{
    public static async Task<T> ReachAsync<T>(Func<Task<T>> read, Func<T, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not reached within {seconds} s: {value}");
            }

            await Task.Delay(50);
        }
    }
}
