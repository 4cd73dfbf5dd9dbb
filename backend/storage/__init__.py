"""Where attachments and original pages are kept: the `AttachmentStore` protocol (base), the local
directory and S3 implementations, and the factory. Import from the modules; this file hands nothing on."""
