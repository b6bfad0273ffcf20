using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Consentry.Infrastructure.Abuse;

/// <summary>
/// A request naming no handler the page has (<c>POST …?handler=Nope</c>, or a POST to a page with only named POST
/// handlers) would render the page without running any handler, on a model nothing loaded: a 500. It is a bad request.
/// Found by the Link pages' fuzz test.
/// </summary>
internal sealed class UnknownPageHandlers : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerMethod is null)
        {
            context.Result = new BadRequestResult();
        }
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
