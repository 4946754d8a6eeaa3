package io.oshigan.dcgan.pytorch;

/** A file that is not a reference generator's state_dict, or that asks for more than one may do. */
public class PyTorchImportException extends RuntimeException {
    public PyTorchImportException(String message) {
        super(message);
    }
}
