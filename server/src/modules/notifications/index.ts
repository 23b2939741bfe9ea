// Registers the notifications module's types and fields with the schema builder.
import './notification.type.js';
import './notification.fields.js';
