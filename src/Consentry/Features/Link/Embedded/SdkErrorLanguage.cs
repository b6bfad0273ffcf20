using Consentry.Core.Errors;
using Consentry.Features.Link.Localization;
using Consentry.Infrastructure.Errors;
using Microsoft.Extensions.Localization;

namespace Consentry.Features.Link.Embedded;

/// <summary>
/// The SDK shows its API's error messages to the customer, so they are written in the customer's language (the request's,
/// from <c>Accept-Language</c> or the journey's <c>consentry-locale</c> cookie), as the Link pages write theirs. A message
/// with no translation (one meant for the app's developer) stays as it is; the status and shape do not change.
/// </summary>
internal sealed class SdkErrorLanguage(IStringLocalizer<LinkText> text) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var error = (result is INestedHttpResult nested ? nested.Result : result) as CodatError;
        if (error is null || LinkLocales.Current == "en")
        {
            return result;
        }

        var message = text.T(error.Error.Text ?? ReadableText.Plain(error.Error.Message));
        return new CodatError(error.Error with { Message = message, Text = null });
    }
}
