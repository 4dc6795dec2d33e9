using Microsoft.AspNetCore.Http;

namespace Bridge.Benchmarks.Upstream;

/// <summary>201 Created with the posted commit status as its body (Bitbucket answers with the status it stored).</summary>
internal sealed class EchoedStatus(byte[] body) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status201Created;
        httpContext.Response.ContentType = "application/json";
        httpContext.Response.ContentLength = body.Length;
        await httpContext.Response.Body.WriteAsync(body);
    }
}
