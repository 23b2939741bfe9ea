// Registers the notifications module's types and fields with the schema builder.
import './notification.type.js';
