package io.oshigan.contracts;

/** A record that does not satisfy its contract. The message says exactly what is wrong and where. */
public class ContractViolationException extends RuntimeException {
    private final String contract;
    private final String reason;

    public ContractViolationException(String contract, String reason) {
        this(contract, reason, null);
    }

    public ContractViolationException(String contract, String reason, Throwable cause) {
        super(contract + ": " + reason, cause);
        this.contract = contract;
        this.reason = reason;
    }

    public String contract() {
        return contract;
    }

    public String reason() {
        return reason;
    }
}
