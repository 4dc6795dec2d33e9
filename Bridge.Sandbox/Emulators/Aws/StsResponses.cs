using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators.Aws;

/// <summary>The STS Query protocol's XML answers: <c>AssumeRoleWithWebIdentityResponse</c> and <c>ErrorResponse</c>.</summary>
internal static class StsResponses
{
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static IResult Success(StsIssuedCredentials issued, string audience, string provider, string requestId)
    {
        var roleId = "AROA" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..17];
        var sessionName = issued.AssumedRoleArn[(issued.AssumedRoleArn.LastIndexOf('/') + 1)..];
        var document = new XElement(Ns + "AssumeRoleWithWebIdentityResponse",
            new XElement(Ns + "AssumeRoleWithWebIdentityResult",
                new XElement(Ns + "SubjectFromWebIdentityToken", issued.Subject),
                new XElement(Ns + "Audience", audience),
                new XElement(Ns + "AssumedRoleUser",
                    new XElement(Ns + "Arn", issued.AssumedRoleArn),
                    new XElement(Ns + "AssumedRoleId", $"{roleId}:{sessionName}")),
                new XElement(Ns + "Credentials",
                    new XElement(Ns + "SessionToken", issued.SessionToken),
                    new XElement(Ns + "SecretAccessKey", issued.SecretAccessKey),
                    new XElement(Ns + "Expiration", issued.Expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
                    new XElement(Ns + "AccessKeyId", issued.AccessKeyId)),
                new XElement(Ns + "Provider", provider),
                new XElement(Ns + "PackedPolicySize", 6)),
            new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", requestId)));
        return Xml(document, StatusCodes.Status200OK, requestId);
    }

    public static IResult Error(StsError error, string requestId)
    {
        var document = new XElement(Ns + "ErrorResponse",
            new XElement(Ns + "Error",
                new XElement(Ns + "Type", error.Type),
                new XElement(Ns + "Code", error.Code),
                new XElement(Ns + "Message", error.Message)),
            new XElement(Ns + "RequestId", requestId));
        return Xml(document, error.StatusCode, requestId);
    }

    private static IResult Xml(XElement document, int statusCode, string requestId) => new XmlResult(document.ToString(SaveOptions.DisableFormatting), statusCode, requestId);

    private sealed class XmlResult(string body, int statusCode, string requestId) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = "text/xml";
            httpContext.Response.Headers["x-amzn-RequestId"] = requestId;
            await httpContext.Response.WriteAsync(body, Encoding.UTF8);
        }
    }
}
