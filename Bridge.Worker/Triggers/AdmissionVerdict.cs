namespace Bridge.Worker.Triggers;

/// <summary>What admission decided: <see cref="Admitted"/>, <see cref="Rejection"/> or <see cref="ExpiredInQueue"/>.</summary>
internal abstract record AdmissionVerdict;
