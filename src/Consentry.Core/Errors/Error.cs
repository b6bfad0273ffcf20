namespace Consentry.Core.Errors;

/// <summary>The kinds of expected failure. Each maps to one HTTP status in one place (the host's error mapping).</summary>
public enum ErrorKind
{
    Validation,
    MalformedQuery,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    Unprocessable,

    /// <summary>Codat's 451: the customer has not consented to sharing what was asked for.</summary>
    UnavailableForLegalReasons,

    /// <summary>A Codat operation Consentry does not implement (501), told apart from a missing record (404).</summary>
    NotImplemented,
}

/// <summary>An expected failure: a value, not an exception.</summary>
public sealed record Error(ErrorKind Kind, string Message, IReadOnlyList<string>? ValidationErrors = null)
{
    /// <summary>The message as a template and values, when a person may read it on a Link page in their own language.</summary>
    public ReadableText? Text { get; init; }

    /// <summary>An error whose message a customer may read: the English message, and its template for other languages.</summary>
    public static Error Readable(ErrorKind kind, FormattableString message)
    {
        var text = ReadableText.Of(message);
        return new(kind, text.ToString()) { Text = text };
    }

    public static Error Validation(string message) => new(ErrorKind.Validation, message);

    public static Error Validation(string message, IReadOnlyList<string> errors) => new(ErrorKind.Validation, message, errors);

    public static Error NotFound(string message) => new(ErrorKind.NotFound, message);

    public static Error Conflict(string message) => new(ErrorKind.Conflict, message);

    public static Error MalformedQuery(string message) => new(ErrorKind.MalformedQuery, message);
}

/// <summary>Either a value or an <see cref="Error"/>.</summary>
public readonly struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
