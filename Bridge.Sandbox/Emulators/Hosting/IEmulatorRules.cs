using Microsoft.AspNetCore.Http;

namespace Bridge.Sandbox.Emulators;

/// <summary>What differs between emulators in the common request gate.</summary>
internal interface IEmulatorRules
{
    /// <summary>Checks made before the endpoint runs (auth, headers); an error result, or null to go on.</summary>
    IResult? Check(HttpContext context, string endpointName);

    /// <summary>The answer for an injected fault.</summary>
    IResult FaultResult(InjectedFault fault);

    /// <summary>Called just before the response starts (status code final, client not answered yet).</summary>
    void OnResponseStarting(HttpContext context, string endpointName, string body);
}
