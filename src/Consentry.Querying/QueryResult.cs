using System.Diagnostics.CodeAnalysis;

namespace Consentry.Querying;

/// <summary>
/// The outcome of parsing or translating a query. Bad queries are user input, not bugs, so they come back
/// as values carrying a Codat-style message instead of as exceptions.
/// </summary>
public sealed class QueryResult<T>
{
    private readonly T? _value;

    internal QueryResult(T? value, string? error)
    {
        _value = value;
        Error = error;
    }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The message to show the caller, e.g. "Error parsing query - Malformed query."; null on success.</summary>
    public string? Error { get; }

    /// <summary>The successful value. Reading it from a failed result is a programming error and throws.</summary>
    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException($"The result is a failure and has no value: {Error}");

    public override string ToString() => IsSuccess ? $"Success: {_value}" : $"Failure: {Error}";
}

/// <summary>Factory methods for <see cref="QueryResult{T}"/>.</summary>
public static class QueryResult
{
    public static QueryResult<T> Success<T>(T value) => new(value, null);

    public static QueryResult<T> Failure<T>(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new(default, error);
    }
}
